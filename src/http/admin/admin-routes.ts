import type { JsonCall, JsonMethod, JsonReply, JsonRoute } from '../json-api/json-api-router';
import type { AdminService } from '../../services/admin';
import { auditPageSize } from '../../services/admin/audit-admin';
import { auditOrder, auditPeriod, intParam, ownerFromBody, parseBody, peerLinksFromBody } from './admin-requests';
import { recipientsPreviewRoute } from './recipients-preview-route';
import { apiKeyJson, apiRootJson, auditJson, collectionJson, organizationJson, subscriptionJson, trustGroupJson, userJson } from './representations';

export type AdminReply = JsonReply;
export type AdminCall = JsonCall;
export type AdminMethod = JsonMethod;
export type AdminRoute = JsonRoute<AdminService>;

const ok = (body: unknown): AdminReply => ({ status: 200, body });
const created = (body: unknown): AdminReply => ({ status: 201, body });
const noContent: AdminReply = { status: 204 };
const id = (req: AdminCall): string => String(req.params.id);
const query = (req: AdminCall, name: string): string | undefined => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
const optional = <T>(value: T | undefined | null): T | null => value ?? null;

/** One table of every admin route: method, path, and what it does (parse -> service -> serialise). */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: 'get', path: '/whoami', handle: async (_a, who) => ok({ user_id: who.userId, username: who.username, organization: who.organizationId, roles: [...who.roles], via: who.via }) },

  { method: 'get', path: '/organizations', handle: async (a, who) => ok({ organizations: (await a.organizations.list(who)).map((e) => organizationJson(e, a.whereDeclared)) }) },
  { method: 'post', path: '/organizations', handle: async (a, who, req) => {
    const body = parseBody.organization(req.body);
    return created(organizationJson(await a.organizations.create(who, { id: body.id, name: body.name, parentId: optional(body.parent), deliveryAllowList: body.delivery_allow_list }), a.whereDeclared));
  } },
  { method: 'get', path: '/organizations/:id', handle: async (a, who, req) => ok(organizationJson(await a.organizations.get(who, id(req)), a.whereDeclared)) },
  { method: 'patch', path: '/organizations/:id', handle: async (a, who, req) => {
    const body = parseBody.organizationPatch(req.body);
    return ok(organizationJson(await a.organizations.update(who, id(req), { name: body.name, parentId: body.parent, deliveryAllowList: body.delivery_allow_list }), a.whereDeclared));
  } },
  { method: 'delete', path: '/organizations/:id', handle: async (a, who, req) => (await a.organizations.remove(who, id(req)), noContent) },

  { method: 'get', path: '/users', handle: async (a, who, req) => ok({ users: (await a.users.list(who, { organizationId: query(req, 'organization') })).map((e) => userJson(e, a.whereDeclared)) }) },
  { method: 'post', path: '/users', handle: async (a, who, req) => {
    const body = parseBody.user(req.body);
    return created(userJson(await a.users.create(who, { username: body.username, organizationId: body.organization, roles: body.roles, password: body.password, disabled: body.disabled }), a.whereDeclared));
  } },
  { method: 'get', path: '/users/:id', handle: async (a, who, req) => ok(userJson(await a.users.get(who, id(req)), a.whereDeclared)) },
  { method: 'patch', path: '/users/:id', handle: async (a, who, req) => ok(userJson(await a.users.update(who, id(req), parseBody.userPatch(req.body)), a.whereDeclared)) },
  { method: 'delete', path: '/users/:id', handle: async (a, who, req) => (await a.users.remove(who, id(req)), noContent) },

  { method: 'get', path: '/users/:id/api-keys', handle: async (a, who, req) => ok({ api_keys: (await a.apiKeys.list(who, { userId: id(req) })).map((k) => apiKeyJson(k)) }) },
  { method: 'post', path: '/users/:id/api-keys', handle: async (a, who, req) => {
    const body = parseBody.apiKey(req.body);
    const issued = await a.apiKeys.create(who, id(req), { name: body.name, expiresAt: body.expires_at ? new Date(body.expires_at) : null });
    return created({ ...apiKeyJson(issued.key), token: issued.token });
  } },
  { method: 'get', path: '/api-keys', handle: async (a, who) => ok({ api_keys: (await a.apiKeys.list(who)).map((k) => apiKeyJson(k)) }) },
  { method: 'get', path: '/api-keys/:id', handle: async (a, who, req) => ok(apiKeyJson(await a.apiKeys.get(who, id(req)))) },
  { method: 'post', path: '/api-keys/:id/revoke', handle: async (a, who, req) => ok(apiKeyJson(await a.apiKeys.revoke(who, id(req)))) },
  { method: 'delete', path: '/api-keys/:id', handle: async (a, who, req) => (await a.apiKeys.remove(who, id(req)), noContent) },

  { method: 'get', path: '/api-roots', handle: async (a, who) => ok({ api_roots: (await a.apiRoots.list(who)).map((e) => apiRootJson(e, a.whereDeclared)) }) },
  { method: 'post', path: '/api-roots', handle: async (a, who, req) => {
    const body = parseBody.apiRoot(req.body);
    return created(apiRootJson(await a.apiRoots.create(who, { id: body.id, title: body.title, description: optional(body.description), maxContentLength: body.max_content_length }), a.whereDeclared));
  } },
  { method: 'get', path: '/api-roots/:id', handle: async (a, who, req) => ok(apiRootJson(await a.apiRoots.get(who, id(req)), a.whereDeclared)) },
  { method: 'patch', path: '/api-roots/:id', handle: async (a, who, req) => {
    const body = parseBody.apiRootPatch(req.body);
    return ok(apiRootJson(await a.apiRoots.update(who, id(req), { title: body.title, description: body.description, maxContentLength: body.max_content_length }), a.whereDeclared));
  } },
  { method: 'delete', path: '/api-roots/:id', handle: async (a, who, req) => (await a.apiRoots.remove(who, id(req)), noContent) },

  { method: 'get', path: '/collections', handle: async (a, who) => ok({ collections: (await a.collections.list(who)).map((e) => collectionJson(e, a.whereDeclared)) }) },
  { method: 'post', path: '/collections', handle: async (a, who, req) => {
    const b = parseBody.collection(req.body);
    const collection = await a.collections.create(who, {
      id: b.id, apiRootId: b.api_root, alias: optional(b.alias), title: b.title, description: optional(b.description), owner: ownerFromBody(b.owner),
      defaultMarking: b.default_marking, unmarked: b.unmarked, attribution: b.attribution,
    });
    return created(collectionJson(collection, a.whereDeclared));
  } },
  { method: 'get', path: '/collections/:id', handle: async (a, who, req) => ok(collectionJson(await a.collections.get(who, id(req)), a.whereDeclared)) },
  { method: 'patch', path: '/collections/:id', handle: async (a, who, req) => {
    const b = parseBody.collectionPatch(req.body);
    const patch = {
      alias: b.alias, title: b.title, description: b.description, owner: b.owner ? ownerFromBody(b.owner) : undefined,
      defaultMarking: b.default_marking, unmarked: b.unmarked, attribution: b.attribution,
    };
    return ok(collectionJson(await a.collections.update(who, id(req), patch), a.whereDeclared));
  } },
  { method: 'delete', path: '/collections/:id', handle: async (a, who, req) => (await a.collections.remove(who, id(req)), noContent) },
  recipientsPreviewRoute,

  { method: 'get', path: '/trust-groups', handle: async (a, who) => ok({ trust_groups: (await a.trustGroups.list(who)).map((e) => trustGroupJson(e, a.whereDeclared)) }) },
  { method: 'post', path: '/trust-groups', handle: async (a, who, req) => {
    const b = parseBody.trustGroup(req.body);
    const group = await a.trustGroups.create(who, {
      id: b.id, name: b.name, topology: b.topology, members: b.members ?? [], tree: b.tree ?? {}, peerLinks: peerLinksFromBody(b.peer_links) ?? [], attribution: b.attribution,
    });
    return created(trustGroupJson(group, a.whereDeclared));
  } },
  { method: 'get', path: '/trust-groups/:id', handle: async (a, who, req) => ok(trustGroupJson(await a.trustGroups.get(who, id(req)), a.whereDeclared)) },
  { method: 'patch', path: '/trust-groups/:id', handle: async (a, who, req) => {
    const b = parseBody.trustGroupPatch(req.body);
    const patch = { name: b.name, topology: b.topology, members: b.members, tree: b.tree, peerLinks: peerLinksFromBody(b.peer_links), attribution: b.attribution };
    return ok(trustGroupJson(await a.trustGroups.update(who, id(req), patch), a.whereDeclared));
  } },
  { method: 'delete', path: '/trust-groups/:id', handle: async (a, who, req) => (await a.trustGroups.remove(who, id(req)), noContent) },

  { method: 'get', path: '/subscriptions', handle: async (a, who, req) => {
    const filter = { organizationId: query(req, 'organization'), collectionId: query(req, 'collection') };
    return ok({ subscriptions: (await a.subscriptions.list(who, filter)).map(subscriptionJson) });
  } },

  { method: 'get', path: '/audit', handle: async (a, who, req) => {
    const limit = intParam(query(req, 'limit'), 'limit', 100);
    const newestFirst = auditOrder(query(req, 'order')) === 'newest';
    const before = query(req, 'before');
    const filter = { entityType: query(req, 'entity_type'), entityId: query(req, 'entity_id'), actor: query(req, 'actor'), afterId: intParam(query(req, 'after'), 'after', 0), limit, ...auditPeriod(req.query) };
    const entries = await a.audit.list(who, { ...filter, newestFirst, ...(before !== undefined ? { beforeId: intParam(before, 'before', 0) } : {}) });
    const last = entries.at(-1);
    // A full page may have a next one; the service clamps `limit` the same way.
    const full = last !== undefined && entries.length === auditPageSize(limit);
    return ok({ entries: entries.map(auditJson), ...(full ? (newestFirst ? { next_before: last.id } : { next_after: last.id }) : {}) });
  } },
];
