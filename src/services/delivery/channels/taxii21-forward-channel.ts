import { LATEST_VERSION } from '../../../domain/object-filters';
import type { ForwardStore, ForwardTarget } from '../../../storage/forward-store';
import type { ObjectStore } from '../../../storage/object-store';
import type { DeliveryBatch, DeliveryChannel, DeliveryVerdict, PreparedDelivery, ReceivedResponse } from '../delivery-channel';
import type { AllowList } from '../outbound/delivery-allow-list';
import type { GuardedHttpClient, OutboundOutcome, OutboundRequest } from '../outbound/guarded-http-client';
import { credentialHeaders, type CredentialBox } from '../forwarding/forward-credentials';
import { readRemoteAnswer } from '../forwarding/taxii21-forward-answers';
import { missingCreators, missingMarkingDefinitions, packEnvelopes, selectForwarded, type StixObject } from '../forwarding/taxii21-forward-content';

/**
 * Forwarding to a TAXII 2.1 server (issue 13 §3): the objects of a batch the forward's organization
 * may read now (taxii21-forward-content.ts says which) are POSTed as TAXII 2.1 envelopes to
 * `<api root>/collections/<id>/objects/` with the forward's credentials, and the remote's status
 * resource decides: complete without failures is delivered; failures, HTTP errors and answers that
 * are not TAXII are failures the engine retries (adding the same id and version again is harmless).
 *
 * One delivery may take more than one request: a batch larger than the forward's limits goes as
 * several envelopes, and a `pending` status is read again (GET `<api root>/status/<id>/`) a bounded
 * number of times. The engine sends one request per delivery and judges its answer synchronously,
 * so the exchange runs inside the engine's client: `client(inner)` wraps the guarded client, and a
 * request this channel prepared (and only such a request) is carried out as the whole exchange,
 * every request of it through the guarded client with the organization's allow-list. Its verdict is
 * handed to judge() with the last answer. (Were the engine to let a channel run its own exchange,
 * this would move there unchanged.)
 */

export const TAXII21_MEDIA_TYPE = 'application/taxii+json;version=2.1';

export interface StatusCheckSettings {
  /** Waits before each status check of a pending answer; their count bounds the checks. */
  readonly delaysMs: readonly number[];
}

export const DEFAULT_STATUS_CHECKS: StatusCheckSettings = { delaysMs: [250, 500, 1_000, 2_000, 4_000] };

export interface Taxii21ForwardingDeps {
  readonly forwards: Pick<ForwardStore, 'target'>;
  readonly credentials: CredentialBox;
  /** Reads the creator identities the batch's objects name and do not carry, under the batch's scope. */
  readonly objects: Pick<ObjectStore, 'selectObjects'>;
  readonly statusChecks?: StatusCheckSettings;
  /** Waits between status checks (tests inject one). */
  readonly wait?: (ms: number) => Promise<void>;
}

export interface Taxii21Forwarding {
  readonly channel: DeliveryChannel;
  /** The engine's client: `inner` for every request, and the whole exchange for a forward's. */
  client(inner: GuardedHttpClient): GuardedHttpClient;
}

interface ExchangePlan {
  readonly envelopes: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly objectsUrl: string;
  readonly statusUrl: (id: string) => string;
}

const defaultWait = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export function objectsUrlOf(target: Pick<ForwardTarget, 'apiRootUrl' | 'remoteCollectionId'>): string {
  return `${target.apiRootUrl}collections/${encodeURIComponent(target.remoteCollectionId)}/objects/`;
}

export function createTaxii21Forwarding(deps: Taxii21ForwardingDeps): Taxii21Forwarding {
  const checks = deps.statusChecks ?? DEFAULT_STATUS_CHECKS;
  const wait = deps.wait ?? defaultWait;
  const plans = new WeakMap<OutboundRequest, ExchangePlan>();
  const verdicts = new WeakMap<object, DeliveryVerdict>();

  async function referencedCreators(batch: DeliveryBatch, objects: readonly StixObject[]): Promise<StixObject[]> {
    const ids = missingCreators(objects);
    if (ids.length === 0) return [];
    const page = await deps.objects.selectObjects({
      collectionId: batch.collection.id, scope: batch.scope, ids, specVersions: { kind: 'any' }, versions: LATEST_VERSION, limit: ids.length,
    });
    return page.entries.map((entry) => JSON.parse(entry.json) as StixObject);
  }

  const channel: DeliveryChannel = {
    name: 'taxii21-forward',

    async prepare(batch: DeliveryBatch): Promise<PreparedDelivery> {
      const { subscription } = batch;
      const target = await deps.forwards.target(subscription.id);
      // Stored with its subscription in one transaction, and deleted with it: missing is a fault.
      if (!target) throw new Error(`forward ${subscription.id} has no target`);
      const selection = selectForwarded(batch.events, target.filter);
      if (selection.objects.length === 0) return { kind: 'nothing', skipped: selection.skipped };
      const creators = await referencedCreators(batch, selection.objects);
      const carried = [...creators, ...selection.objects];
      const objects = [...missingMarkingDefinitions(carried), ...carried];
      const credentials = target.sealedCredentials !== undefined ? await deps.credentials.open(subscription.id, target.sealedCredentials) : { kind: 'none' as const };
      const headers = { 'content-type': TAXII21_MEDIA_TYPE, accept: TAXII21_MEDIA_TYPE, 'user-agent': 'taxii-hub', ...credentialHeaders(credentials) };
      const envelopes = packEnvelopes(objects, target.maxObjects, target.maxBytes);
      const objectsUrl = objectsUrlOf(target);
      const request: OutboundRequest = { url: objectsUrl, headers, body: envelopes[0] ?? '{"objects":[]}' };
      plans.set(request, { envelopes, headers, objectsUrl, statusUrl: (id) => `${target.apiRootUrl}status/${encodeURIComponent(id)}/` });
      return { kind: 'send', request, records: selection.objects.length, skipped: selection.skipped };
    },

    judge(response: ReceivedResponse): DeliveryVerdict {
      const verdict = verdicts.get(response);
      if (verdict) return verdict;
      const answer = readRemoteAnswer(response, 'add objects');
      return answer.kind === 'complete' ? { ok: true } : { ok: false, error: answer.kind === 'failed' ? answer.error : 'the remote TAXII server has not finished processing the objects' };
    },
  };

  /** Follows a pending status until complete, failed, or out of checks; the outcome and its verdict. */
  async function settle(inner: GuardedHttpClient, allowList: AllowList, plan: ExchangePlan, first: ReceivedResponse, statusId: string): Promise<OutboundOutcome> {
    let last: ReceivedResponse = first;
    let id = statusId;
    for (const delay of checks.delaysMs) {
      await wait(delay);
      const outcome = await inner.post({ url: plan.statusUrl(id), method: 'GET', headers: { accept: plan.headers.accept ?? TAXII21_MEDIA_TYPE, ...withoutBodyHeaders(plan.headers) }, body: '' }, allowList);
      if (outcome.kind !== 'response') return outcome;
      last = outcome;
      const answer = readRemoteAnswer(outcome, 'status');
      if (answer.kind === 'complete') return mark(outcome, { ok: true });
      if (answer.kind === 'failed') return mark(outcome, { ok: false, error: answer.error });
      id = answer.statusId;
    }
    const total = checks.delaysMs.reduce((sum, ms) => sum + ms, 0);
    return mark(last, { ok: false, error: `the remote TAXII server's status ${id} was still pending after ${checks.delaysMs.length} checks over ${(total / 1000).toFixed(1)} s; the batch is sent again (adding the same objects twice is harmless)` });
  }

  function mark(outcome: ReceivedResponse, verdict: DeliveryVerdict): ReceivedResponse {
    const copy = { ...outcome };
    verdicts.set(copy, verdict);
    return copy;
  }

  return {
    channel,
    client(inner) {
      return {
        async post(request, allowList) {
          const plan = plans.get(request);
          if (!plan) return inner.post(request, allowList);
          plans.delete(request);
          let last: OutboundOutcome | undefined;
          for (const body of plan.envelopes) {
            const outcome = await inner.post({ url: plan.objectsUrl, headers: plan.headers, body }, allowList);
            if (outcome.kind !== 'response') return outcome;
            const answer = readRemoteAnswer(outcome, 'add objects');
            if (answer.kind === 'failed') return mark(outcome, { ok: false, error: answer.error });
            last = answer.kind === 'pending' ? await settle(inner, allowList, plan, outcome, answer.statusId) : mark(outcome, { ok: true });
            if (last.kind !== 'response' || verdicts.get(last)?.ok !== true) return last;
          }
          return last ?? inner.post(request, allowList);
        },
      };
    },
  };
}

function withoutBodyHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const { 'content-type': _contentType, ...rest } = headers;
  return rest;
}
