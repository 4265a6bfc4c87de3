import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import type { DeadLetterJson, ForwardJson, ReplayJson, SubscriptionJson, WebhookJson } from './types';

/**
 * The Deliveries page's calls to the hub. Org-admins and operators manage deliveries (the hub API
 * answers others FORBIDDEN), so the page loads these lists only for them; each list loads on its
 * own, and a refusal or failure is kept as that list's error, never hiding the others.
 */

/** A list, or its failure: the hub's words (`error`) and what was thrown (`failure`, for ListStatus's heading). */
export type Loaded<T> = { readonly items: readonly T[] } | { readonly error: string; readonly failure: unknown } | undefined;

/** The rows and error of a list as ListStatus takes them (rows undefined while loading or after a failure). */
export function statusOf<T>(loaded: Loaded<T>, failed: (message: string) => string): { readonly rows: readonly T[] | undefined; readonly error: string; readonly failure?: unknown } {
  if (loaded === undefined) return { rows: undefined, error: '' };
  return 'items' in loaded ? { rows: loaded.items, error: '' } : { rows: undefined, error: failed(loaded.error), failure: loaded.failure };
}

const messageOf = (e: unknown) => (e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e));

/** The TAXII 1.1 channels among the admin API's subscriptions (webhooks and forwards have their own lists). */
const TAXII11_CHANNELS = ['taxii11-push', 'taxii11-poll'];

export interface WebhookWithLetters {
  readonly webhook: WebhookJson;
  readonly letters: Loaded<DeadLetterJson>;
}

export interface Deliveries {
  readonly subscriptions: Loaded<SubscriptionJson>;
  readonly webhooks: Loaded<WebhookWithLetters>;
  readonly forwards: Loaded<ForwardJson>;
  /** Loads every list again after an action, quietly; resolves once all are in. */
  readonly reload: () => Promise<void>;
  /** Loads every list again and counts it as asked for (announced). */
  readonly refresh: () => Promise<void>;
}

async function load<T>(call: () => Promise<readonly T[]>): Promise<Loaded<T>> {
  try {
    return { items: await call() };
  } catch (e) {
    return { error: messageOf(e), failure: e };
  }
}

async function webhooksWithLetters(query: string): Promise<WebhookWithLetters[]> {
  const { webhooks } = await api<{ webhooks: WebhookJson[] }>('GET', `/api/webhooks${query}`);
  return Promise.all(webhooks.map(async (webhook) => ({
    webhook,
    letters: await load(async () => (await api<{ dead_letters: DeadLetterJson[] }>('GET', `/api/webhooks/${encodeURIComponent(webhook.id)}/dead-letters`)).dead_letters),
  })));
}

/**
 * The lists, loaded when `manages` (an org-admin or an operator), of one organization when
 * `organization` is not empty (operators; an org-admin's lists are its own organization's anyway).
 * `loads` counts the loads made by the page's own asking (the first, a filter, Refresh), not the
 * quiet reloads after an action, so the page announces the lists only for the former.
 */
export function useDeliveries(manages: boolean, organization: string): Deliveries & { readonly loads: number } {
  const [subscriptions, setSubscriptions] = useState<Loaded<SubscriptionJson>>();
  const [webhooks, setWebhooks] = useState<Loaded<WebhookWithLetters>>();
  const [forwards, setForwards] = useState<Loaded<ForwardJson>>();
  const [loads, setLoads] = useState(0);

  const fetchAll = useCallback(async (quiet: boolean) => {
    if (!manages) return;
    const query = organization === '' ? '' : `?organization=${encodeURIComponent(organization)}`;
    const [s, w, f] = await Promise.all([
      load(async () => (await api<{ subscriptions: SubscriptionJson[] }>('GET', `/admin/api/subscriptions${query}`)).subscriptions.filter((x) => TAXII11_CHANNELS.includes(x.channel))),
      load(() => webhooksWithLetters(query)),
      load(async () => (await api<{ forwards: ForwardJson[] }>('GET', `/api/forwards${query}`)).forwards),
    ]);
    setSubscriptions(s);
    setWebhooks(w);
    setForwards(f);
    if (!quiet) setLoads((n) => n + 1);
  }, [manages, organization]);

  useEffect(() => {
    void fetchAll(false);
  }, [fetchAll]);
  return { subscriptions, webhooks, forwards, reload: () => fetchAll(true), refresh: () => fetchAll(false), loads };
}

export const pauseWebhook = (id: string, pause: boolean) => api<WebhookJson>('POST', `/api/webhooks/${encodeURIComponent(id)}/${pause ? 'pause' : 'resume'}`, {});
export const pauseForward = (id: string, pause: boolean) => api<ForwardJson>('POST', `/api/forwards/${encodeURIComponent(id)}/${pause ? 'pause' : 'resume'}`, {});
export const replayLetter = (webhook: string, letter: string) => api<ReplayJson>('POST', `/api/webhooks/${encodeURIComponent(webhook)}/dead-letters/${encodeURIComponent(letter)}/replay`, {});
