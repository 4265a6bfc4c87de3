import { api } from '../../api';
import type { Role } from '../../session';

/**
 * The admin API's entities as the Administration page reads them (GET /admin/api/…; see
 * openapi.yaml). `managed_by: config` entities are declared in the hub's config files: read-only
 * here, with `declared_in` naming the file and line that declare them.
 */

export type ManagedBy = 'config' | 'admin';

interface Managed {
  readonly managed_by: ManagedBy;
  /** `collections/trust-groups.yaml:15`; null for what the admin API made (or when the hub does not know its files). */
  readonly declared_in?: string | null;
}

export interface Organization extends Managed {
  readonly id: string;
  readonly name: string;
  readonly parent: string | null;
  readonly delivery_allow_list?: readonly string[];
}

export interface User extends Managed {
  readonly id: string;
  readonly username: string;
  readonly organization: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
}

export type Topology = 'horizontal' | 'vertical' | 'hybrid';
export type Attribution = 'attributed' | 'hidden';

export interface TrustGroup extends Managed {
  readonly id: string;
  readonly name: string;
  readonly topology: Topology;
  readonly members: readonly string[];
  readonly tree?: Readonly<Record<string, readonly string[]>>;
  readonly peer_links?: readonly { readonly between: readonly [string, string]; readonly pass_down: boolean }[];
  readonly attribution: Attribution;
}

export type Marking = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';
export type Owner = { readonly organization: string } | { readonly trust_group: string };

export interface Collection extends Managed {
  readonly id: string;
  readonly api_root: string;
  readonly alias: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly owner: Owner;
  readonly default_marking: Marking;
  readonly unmarked: 'default' | 'refuse';
  readonly attribution: Attribution;
}

export interface ApiRoot extends Managed {
  readonly id: string;
  readonly title: string;
}

export interface ApiKey {
  readonly id: string;
  readonly user_id: string;
  readonly name: string;
  readonly status: 'active' | 'revoked' | 'expired' | string;
  readonly created_at: string;
  readonly expires_at: string | null;
  readonly revoked_at: string | null;
}

export const ROLES: readonly Role[] = ['provider', 'consumer', 'org-admin', 'operator'];
export const TOPOLOGIES: readonly Topology[] = ['horizontal', 'vertical', 'hybrid'];
export const MARKINGS: readonly Marking[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];
export const ATTRIBUTIONS: readonly Attribution[] = ['attributed', 'hidden'];

const path = (...parts: readonly string[]) => `/admin/api/${parts.map(encodeURIComponent).join('/')}`;

/** The admin API's lists, each by its own key. */
export const adminApi = {
  organizations: async () => (await api<{ organizations: Organization[] }>('GET', path('organizations'))).organizations,
  users: async () => (await api<{ users: User[] }>('GET', path('users'))).users,
  trustGroups: async () => (await api<{ trust_groups: TrustGroup[] }>('GET', path('trust-groups'))).trust_groups,
  collections: async () => (await api<{ collections: Collection[] }>('GET', path('collections'))).collections,
  apiRoots: async () => (await api<{ api_roots: ApiRoot[] }>('GET', path('api-roots'))).api_roots,
  apiKeys: async () => (await api<{ api_keys: ApiKey[] }>('GET', path('api-keys'))).api_keys,
  create: <T>(collection: string, body: unknown) => api<T>('POST', path(collection), body),
  update: <T>(collection: string, id: string, body: unknown) => api<T>('PATCH', path(collection, id), body),
  revokeKey: (id: string) => api<ApiKey>('POST', path('api-keys', id, 'revoke')),
};

/** The non-empty trimmed lines of a text area (or its comma-separated items). */
export const listOf = (text: string): string[] => text.split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');

/** A tree as lines `parent: child, child`, and back; a line that cannot be read is named in `bad`. */
export const treeText = (tree: Readonly<Record<string, readonly string[]>> | undefined): string =>
  Object.entries(tree ?? {}).map(([parent, children]) => `${parent}: ${children.join(', ')}`).join('\n');

export function parseTree(text: string): { tree: Record<string, string[]>; bad: string[] } {
  const tree: Record<string, string[]> = {};
  const bad: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const match = /^([^:\s]+)\s*:\s*(.+)$/.exec(line);
    const children = match?.[2] === undefined ? [] : listOf(match[2]);
    if (match?.[1] === undefined || children.length === 0) bad.push(line);
    else tree[match[1]] = [...(tree[match[1]] ?? []), ...children];
  }
  return { tree, bad };
}

/** Peer links as lines `org-a org-b` (with ` pass-down` when the link passes down), and back. */
export const peerLinksText = (links: TrustGroup['peer_links']): string =>
  (links ?? []).map((l) => `${l.between[0]} ${l.between[1]}${l.pass_down ? ' pass-down' : ''}`).join('\n');

export function parsePeerLinks(text: string): { links: { between: [string, string]; pass_down: boolean }[]; bad: string[] } {
  const links: { between: [string, string]; pass_down: boolean }[] = [];
  const bad: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const words = line.split(/[\s,]+/);
    const passDown = words.length === 3 && words[2] === 'pass-down';
    const [a, b] = words;
    if (a === undefined || b === undefined || (words.length !== 2 && !passDown)) bad.push(line);
    else links.push({ between: [a, b], pass_down: passDown });
  }
  return { links, bad };
}
