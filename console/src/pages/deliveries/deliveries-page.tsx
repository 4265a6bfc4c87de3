import '../share/pages.css';
import './deliveries.css';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAnnounce } from '../../announce';
import { FilterBar, SelectField } from '../../components/filter-bar';
import { ModalDialog } from '../../components/modal-dialog';
import { api } from '../../api';
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
  const operator = hasRole(session, 'operator');
  const [organization, setOrganization] = useState('');
  const [choice, setChoice] = useState('');
  const organizations = useOrganizations(operator);
  const deliveries = useDeliveries(manages, organization);
  const [ask, setAsk] = useState<Ask | undefined>();
  const [outcome, setOutcome] = useState<{ text: string; error: boolean } | undefined>();
  const tRef = useRef(t);
  tRef.current = t;

  const { subscriptions, webhooks, forwards, loads } = deliveries;
  useEffect(() => {
    if (loads === 0) return;
    const count = (l: Loaded<unknown>) => (l !== undefined && 'items' in l ? l.items.length : 0);
    announce(tRef.current('loaded', { subscriptions: count(subscriptions), webhooks: count(webhooks), forwards: count(forwards) }));
    // Announced once per load asked for: the lists of that load are in when `loads` moves.
  }, [loads, announce]);
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
          {operator ? (
            <FilterBar label={t('filterLabel')} onSubmit={() => (choice === organization ? void deliveries.refresh() : setOrganization(choice))}>
              <SelectField id="deliveries-organization" label={t('organization')} value={choice} any={t('allOrganizations')} choices={organizations.map((o) => ({ value: o, label: o }))} onChange={setChoice} />
            </FilterBar>
          ) : (
            <div class="actions">
              <button type="button" onClick={() => void deliveries.refresh()}>{t('refresh')}</button>
            </div>
          )}
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

/** The organizations an operator may narrow the lists to (GET /admin/api/organizations); none for others or on a failure (the lists then show every organization's). */
function useOrganizations(operator: boolean): readonly string[] {
  const [ids, setIds] = useState<readonly string[]>([]);
  useEffect(() => {
    if (!operator) return;
    api<{ organizations: { id: string }[] }>('GET', '/admin/api/organizations').then((answer) => setIds(answer.organizations.map((o) => o.id).sort()), () => setIds([]));
  }, [operator]);
  return ids;
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
