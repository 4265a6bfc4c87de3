import '../share/pages.css';
import './deliveries.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAnnounce } from '../../announce';
import { ModalDialog } from '../../components/modal-dialog';
import { useT, type Translate } from '../../i18n';
import { hasRole, useSession } from '../../session';
import { useCollections } from '../share/collections';
import type { VisibleCollection } from '../share/hub-types';
import type { Ask } from './confirm-ask';
import { ListStatus } from '../../components/list-status';
import { statusOf, useDeliveries, type Loaded } from './delivery-api';
import { FeedsSection, StreamsSection } from './feeds-section';
import { ForwardCard } from './forward-card';
import { deliveriesMessages } from './messages';
import { SubscriptionsSection } from './subscriptions-section';
import { WebhookCard } from './webhook-card';

/**
 * Deliveries: where the hub sends what may be read. Org-admins (their organization's) and operators
 * (every organization's) see the TAXII 1.1 subscriptions, webhooks and TAXII 2.1 forwards with their
 * state, backlog and last error, pause and resume them, and replay a webhook's dead letters; the hub
 * API refuses these lists to everyone else, so the page neither asks for them nor offers their
 * controls. Everyone sees the sensor feeds and live streams of the collections they may read.
 */
export function DeliveriesPage() {
  const t = useT(deliveriesMessages);
  const announce = useAnnounce();
  const session = useSession();
  const manages = hasRole(session, 'operator', 'org-admin');
  const { collections, error } = useCollections();
  const deliveries = useDeliveries(manages);
  const [ask, setAsk] = useState<Ask | undefined>();
  const [outcome, setOutcome] = useState<{ text: string; error: boolean } | undefined>();
  const told = useRef(false);
  const tRef = useRef(t);
  tRef.current = t;

  const { subscriptions, webhooks, forwards } = deliveries;
  useEffect(() => {
    if (told.current || !manages || subscriptions === undefined || webhooks === undefined || forwards === undefined) return;
    told.current = true;
    const count = (l: Loaded<unknown>) => (l !== undefined && 'items' in l ? l.items.length : 0);
    announce(tRef.current('loaded', { subscriptions: count(subscriptions), webhooks: count(webhooks), forwards: count(forwards) }));
  }, [manages, subscriptions, webhooks, forwards, announce]);
  useEffect(() => {
    if (error !== undefined) announce(error, 'error');
  }, [error, announce]);

  const confirm = async () => {
    if (ask === undefined) return;
    const result = await ask.run();
    setOutcome({ text: result.text, error: result.error === true });
    announce(result.text, result.error === true ? 'error' : 'status');
    await deliveries.reload();
  };

  const names = new Map((collections ?? []).map((c) => [c.id, c.alias ?? c.title]));
  return (
    <div class="deliveries-page">
      <p>{t('intro')}</p>
      {!manages && <p class="notice">{t('managedElsewhere')}</p>}
      {outcome !== undefined && <p class={outcome.error ? 'error delivery-outcome' : 'live delivery-outcome'}>{outcome.text}</p>}
      {manages && (
        <>
          <div class="actions">
            <button type="button" onClick={() => void deliveries.reload()}>{t('refresh')}</button>
          </div>
          <SubscriptionsSection t={t} loaded={subscriptions} />
          <ListSection t={t} kind="webhooks" loaded={webhooks}>
            {(items) => items.map((item) => <WebhookCard key={item.webhook.id} t={t} item={item} onAsk={setAsk} />)}
          </ListSection>
          <ListSection t={t} kind="forwards" loaded={forwards}>
            {(items) => items.map((f) => <ForwardCard key={f.id} t={t} forward={f} collectionName={names.get(f.collection) ?? f.collection} onAsk={setAsk} />)}
          </ListSection>
        </>
      )}
      {error !== undefined && <p role="alert">{error}</p>}
      {collections === undefined && error === undefined && <p role="status">{t('loading')}</p>}
      {collections !== undefined && <ReaderChannels t={t} collections={collections} />}
      {ask !== undefined && (
        <ModalDialog
          id="delivery-confirm"
          title={ask.title}
          body={ask.body}
          confirmLabel={ask.confirmLabel}
          onConfirm={confirm}
          failed={(message) => t('actionFailed', { message })}
          onClose={() => setAsk(undefined)}
        />
      )}
    </div>
  );
}

function ListSection<T>(props: { readonly t: Translate; readonly kind: 'webhooks' | 'forwards'; readonly loaded: Loaded<T>; readonly children: (items: readonly T[]) => ComponentChildren }) {
  const { t, kind, loaded } = props;
  return (
    <section class="delivery-section" aria-labelledby={`${kind}-heading`}>
      <h2 id={`${kind}-heading`}>{t(`${kind}Heading`)}</h2>
      <p>{t(`${kind}Intro`)}</p>
      <ListStatus {...statusOf(loaded, (message) => t('loadFailed', { list: t(`list.${kind}`), message }))} empty={t(`${kind}None`)} />
      {loaded !== undefined && 'items' in loaded && props.children(loaded.items)}
    </section>
  );
}

function ReaderChannels({ t, collections }: { readonly t: Translate; readonly collections: readonly VisibleCollection[] }) {
  return (
    <>
      <FeedsSection t={t} collections={collections} />
      <StreamsSection t={t} collections={collections} />
    </>
  );
}
