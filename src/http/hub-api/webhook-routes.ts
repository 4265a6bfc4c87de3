import { hubError } from '../../domain/errors';
import type { WebhookRegistration, WebhookService, WebhookView } from '../../services/delivery/webhooks/webhook-service';
import type { DeadLetter, WebhookAttempt } from '../../storage/webhook-store';
import { definitionParsers } from '../../validation/schema-definitions';
import { readSchema } from '../../validation/schema-files';
import { deliveryAttemptsJson } from '../admin/representations';
import { backlogJson } from './backlog-json';
import type { JsonCall, JsonRoute } from '../json-api/json-api-router';
import { oneText, param } from './hub-api-requests';

/**
 * The hub API's webhook routes (/api/webhooks…, issue 13 §2): parse → WebhookService → serialise.
 * Bodies follow schemas/webhook-api.schema.json.
 */

export interface WebhookApiServices {
  /** Absent where the hub runs no delivery engine (the local CLI): every webhook route then answers 404. */
  readonly webhooks?: WebhookService;
}

interface CreateBody {
  collection: string;
  url: string;
  organization?: string;
  user?: string;
  kinds?: string[];
  operations?: string[];
  min_confidence?: number;
  retry_window_seconds?: number;
}

const parser = definitionParsers(readSchema('webhook-api.schema.json'));
const parseCreate = parser<CreateBody>('create');
const parseEmpty = parser<Record<string, never>>('empty');

const ATTEMPTS_PAGE = { default: 100, max: 1_000 };

function service(s: WebhookApiServices): WebhookService {
  if (!s.webhooks) throw hubError('NOT_FOUND', 'Webhooks are managed through a running hub (taxii-hub webhook … --url)');
  return s.webhooks;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function webhookJson({ webhook, subscription, backlog }: WebhookView) {
  const d = subscription.delivery;
  return {
    id: webhook.id,
    organization: webhook.organizationId,
    collection: subscription.collectionId,
    collection_name: subscription.collectionName,
    url: webhook.url,
    user: subscription.userId,
    filter: { kinds: webhook.filter.kinds, operations: webhook.filter.operations, ...(webhook.filter.minConfidence !== undefined ? { min_confidence: webhook.filter.minConfidence } : {}) },
    retry_window_seconds: Math.round(webhook.retryWindowMs / 1000),
    status: subscription.status === 'ACTIVE' ? 'active' : 'paused',
    created_at: subscription.createdAt.toISOString(),
    created_by: webhook.createdBy,
    previous_secret_retires_at: iso(webhook.previous?.retiresAt),
    delivery: {
      cursor: String(subscription.cursor),
      ...deliveryAttemptsJson(d),
      failing_since: iso(webhook.failingSince),
      delivered_events: d.deliveredRecords,
      ...backlogJson(backlog),
    },
  };
}

function attemptJson(a: WebhookAttempt) {
  return {
    id: a.id,
    delivery_id: a.deliveryId,
    at: a.at.toISOString(),
    outcome: a.outcome,
    status_code: a.statusCode ?? null,
    latency_ms: a.latencyMs,
    error: a.error ?? null,
    events: a.events,
    after_position: String(a.afterPosition),
    through_position: String(a.throughPosition),
    ...(a.replayOf !== undefined ? { replay_of: a.replayOf } : {}),
  };
}

function deadLetterJson(l: DeadLetter) {
  return { id: l.id, after_position: String(l.afterPosition), through_position: String(l.throughPosition), events: l.events, error: l.error, dead_at: l.deadAt.toISOString(), replayed_at: iso(l.replayedAt) };
}

function registration(body: CreateBody): WebhookRegistration {
  return {
    collection: body.collection,
    url: body.url,
    ...(body.organization !== undefined ? { organization: body.organization } : {}),
    ...(body.user !== undefined ? { user: body.user } : {}),
    ...(body.kinds !== undefined ? { kinds: body.kinds } : {}),
    ...(body.operations !== undefined ? { operations: body.operations } : {}),
    ...(body.min_confidence !== undefined ? { minConfidence: body.min_confidence } : {}),
    ...(body.retry_window_seconds !== undefined ? { retryWindowSeconds: body.retry_window_seconds } : {}),
  };
}

function limitOf(query: JsonCall['query']): number {
  const text = oneText(query, 'limit');
  if (text === undefined) return ATTEMPTS_PAGE.default;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > ATTEMPTS_PAGE.max) throw hubError('BAD_REQUEST', { description: `limit: must be an integer from 1 to ${ATTEMPTS_PAGE.max}`, problems: [{ path: 'limit', message: `must be an integer from 1 to ${ATTEMPTS_PAGE.max}` }] });
  return n;
}

/** Every webhook route: method, path (under the hub API prefix), handler. */
export function webhookRoutes<S extends WebhookApiServices>(): JsonRoute<S>[] {
  return [
    { method: 'post', path: '/webhooks', handle: async (s, who, req) => {
      const created = await service(s).register(who, registration(parseCreate(req.body ?? {})));
      return { status: 201, body: { ...webhookJson(created), secret: created.secret, warnings: created.warnings } };
    } },
    { method: 'get', path: '/webhooks', handle: async (s, who, req) => ({
      status: 200, body: { webhooks: (await service(s).list(who, oneText(req.query, 'organization'))).map(webhookJson) },
    }) },
    { method: 'get', path: '/webhooks/:id', handle: async (s, who, req) => ({ status: 200, body: webhookJson(await service(s).get(who, param(req, 'id'))) }) },
    { method: 'delete', path: '/webhooks/:id', handle: async (s, who, req) => {
      await service(s).remove(who, param(req, 'id'));
      return { status: 204 };
    } },
    { method: 'get', path: '/webhooks/:id/attempts', handle: async (s, who, req) => ({
      status: 200, body: { attempts: (await service(s).attempts(who, param(req, 'id'), limitOf(req.query))).map(attemptJson) },
    }) },
    { method: 'get', path: '/webhooks/:id/dead-letters', handle: async (s, who, req) => ({
      status: 200, body: { dead_letters: (await service(s).deadLetters(who, param(req, 'id'))).map(deadLetterJson) },
    }) },
    { method: 'post', path: '/webhooks/:id/dead-letters/:letter/replay', handle: async (s, who, req) => {
      parseEmpty(req.body ?? {});
      return { status: 200, body: await service(s).replay(who, param(req, 'id'), param(req, 'letter')) };
    } },
    { method: 'post', path: '/webhooks/:id/rotate-secret', handle: async (s, who, req) => {
      parseEmpty(req.body ?? {});
      const rotated = await service(s).rotateSecret(who, param(req, 'id'));
      return { status: 200, body: { id: param(req, 'id'), secret: rotated.secret, previous_secret_retires_at: rotated.previousRetiresAt.toISOString() } };
    } },
    { method: 'post', path: '/webhooks/:id/retire-secret', handle: async (s, who, req) => {
      parseEmpty(req.body ?? {});
      return { status: 200, body: webhookJson(await service(s).retirePreviousSecret(who, param(req, 'id'))) };
    } },
    { method: 'post', path: '/webhooks/:id/pause', handle: async (s, who, req) => {
      parseEmpty(req.body ?? {});
      return { status: 200, body: webhookJson(await service(s).setPaused(who, param(req, 'id'), true)) };
    } },
    { method: 'post', path: '/webhooks/:id/resume', handle: async (s, who, req) => {
      parseEmpty(req.body ?? {});
      return { status: 200, body: webhookJson(await service(s).setPaused(who, param(req, 'id'), false)) };
    } },
  ];
}
