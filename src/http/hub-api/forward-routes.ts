import { hubError } from '../../domain/errors';
import type { ForwardCreated, ForwardRequest, ForwardService, ForwardView } from '../../services/delivery/forwarding/forward-service';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import { deliveryAttemptsJson } from '../admin/representations';
import { backlogJson } from './backlog-json';
import type { JsonCall, JsonRoute } from '../json-api/json-api-router';
import { oneText, param } from './hub-api-requests';

/**
 * The hub API's forward routes (/api/forwards…, issue 13 §3): parse → ForwardService → serialise.
 * Bodies follow schemas/forward.schema.json. Credentials go in and never come out: a forward shows
 * their kind, and for Basic the user name, for a header its name.
 */

export interface ForwardApiServices {
  /** Absent where the hub runs no delivery engine (the local CLI): every forward route then answers 404. */
  readonly forwards?: ForwardService;
}

const parseCreate = definitionParsers(readSchema('forward.schema.json'))<ForwardRequest>('create');

function service(s: ForwardApiServices): ForwardService {
  if (!s.forwards) throw hubError('NOT_FOUND', 'Forwards are managed through a running hub (taxii-hub forward … --url)');
  return s.forwards;
}

export function forwardJson(view: ForwardView) {
  const d = view.delivery;
  return {
    id: view.id,
    organization: view.organization,
    collection: view.collection,
    status: view.status,
    run_as: view.runAs,
    api_root_url: view.apiRootUrl,
    remote_collection: view.remoteCollection,
    credentials: {
      kind: view.credentials.kind,
      ...(view.credentials.kind === 'basic' && view.credentials.label !== undefined ? { username: view.credentials.label } : {}),
      ...(view.credentials.kind === 'header' && view.credentials.label !== undefined ? { name: view.credentials.label } : {}),
    },
    filter: { ...(view.filter.types !== undefined ? { types: view.filter.types } : {}), ...(view.filter.kinds !== undefined ? { kinds: view.filter.kinds } : {}) },
    max_objects: view.maxObjects,
    max_bytes: view.maxBytes,
    created_at: view.createdAt.toISOString(),
    created_by: view.createdBy,
    delivery: {
      cursor: String(d.cursor),
      ...deliveryAttemptsJson(d),
      delivered_objects: d.deliveredObjects,
      ...backlogJson(d.backlog),
    },
  };
}

function createdJson(created: ForwardCreated) {
  return { ...forwardJson(created.forward), warnings: created.warnings };
}

function organizationQuery(req: JsonCall): { organization?: string } {
  const value = oneText(req.query, 'organization', { nonEmpty: true });
  return value === undefined ? {} : { organization: value };
}

/** The forward routes, for the hub API's route table. */
export function forwardRoutes<S extends ForwardApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'post', path: '/forwards', handle: async (s, who, req) => ({ status: 201, body: createdJson(await service(s).create(who, parseCreate(req.body))) }) },
    { method: 'get', path: '/forwards', handle: async (s, who, req) => ({ status: 200, body: { forwards: (await service(s).list(who, organizationQuery(req))).map(forwardJson) } }) },
    { method: 'get', path: '/forwards/:id', handle: async (s, who, req) => ({ status: 200, body: forwardJson(await service(s).get(who, param(req, 'id'))) }) },
    { method: 'post', path: '/forwards/:id/pause', handle: async (s, who, req) => ({ status: 200, body: forwardJson(await service(s).setStatus(who, param(req, 'id'), 'PAUSED')) }) },
    { method: 'post', path: '/forwards/:id/resume', handle: async (s, who, req) => ({ status: 200, body: forwardJson(await service(s).setStatus(who, param(req, 'id'), 'ACTIVE')) }) },
    { method: 'delete', path: '/forwards/:id', handle: async (s, who, req) => {
      await service(s).remove(who, param(req, 'id'));
      return { status: 204 };
    } },
  ];
}
