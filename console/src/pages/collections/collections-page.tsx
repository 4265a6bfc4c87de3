import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { useAnnounce } from '../../announce';
import { HubErrorLine } from '../../components/hub-error';
import { TimeText } from '../../components/time-text';
import { useT, type Translate } from '../../i18n';
import { hrefFor } from '../../router';
import { hasRole, useSession } from '../../session';
import { collectionLabel, useCollections } from '../share/collections';
import type { VisibleCollection } from '../share/hub-types';
import { collectionsMessages } from './messages';
import { ConsumerPolls, OwnPoll, type PollsJson } from './poll-status';

/**
 * Collections: each collection the user may see (GET /api/collections) with its figures (GET
 * /api/collections/{c}/figures): objects per provider and TLP and the last activity, counted by the
 * hub over what this user may read only. Operators also see the owner and the readers and writers;
 * others see what they themselves may do. A consumer also sees its organization's last TAXII poll and
 * lag, an operator those of every consumer organization (./poll-status).
 */

interface FiguresJson {
  readonly objects: number;
  readonly indicators: number;
  readonly last_added?: string;
  readonly by_provider_and_tlp: readonly { readonly provider?: string; readonly tlp: string; readonly objects: number; readonly indicators: number; readonly last_added: string }[];
  readonly owner?: { readonly organization?: string; readonly trust_group?: string };
  readonly entitled?: readonly { readonly organization: string; readonly write: boolean }[];
  readonly own_polls?: PollsJson;
  readonly consumer_polls?: readonly PollsJson[];
}

type Loaded = { readonly figures: FiguresJson } | { readonly error: string; readonly failure: unknown };

export function CollectionsPage() {
  const t = useT(collectionsMessages);
  const announce = useAnnounce();
  const { collections, error, failure } = useCollections();
  const [figures, setFigures] = useState<ReadonlyMap<string, Loaded> | undefined>();
  // The figures are loaded once per list of collections, not again when the language changes.
  const tRef = useRef(t);
  tRef.current = t;

  useEffect(() => {
    if (error !== undefined) announce(error, 'error');
  }, [error, announce]);
  useEffect(() => {
    if (collections === undefined) return;
    Promise.all(
      collections.map(async (c): Promise<[string, Loaded]> => {
        try {
          return [c.id, { figures: await api<FiguresJson>('GET', `/api/collections/${encodeURIComponent(c.id)}/figures`) }];
        } catch (e: unknown) {
          return [c.id, { error: e instanceof ApiError ? e.message : String(e), failure: e }];
        }
      }),
    ).then((entries) => {
      setFigures(new Map(entries));
      announce(tRef.current('loaded', { count: collections.length }));
    }, () => {});
  }, [collections, announce]);

  if (error !== undefined) return <HubErrorLine error={failure} role="alert">{error}</HubErrorLine>;
  if (collections === undefined || figures === undefined) return <p>{t('loading')}</p>;
  if (collections.length === 0) return <p>{t('none')}</p>;
  return (
    <>
      <p>{t('intro')}</p>
      {collections.map((c) => <CollectionCard key={c.id} t={t} collection={c} loaded={figures.get(c.id)} />)}
    </>
  );
}

function CollectionCard({ t, collection, loaded }: { readonly t: Translate; readonly collection: VisibleCollection; readonly loaded: Loaded | undefined }) {
  const session = useSession();
  const headingId = `collection-${collection.id}`;
  const label = collectionLabel(collection);
  const f = loaded !== undefined && 'figures' in loaded ? loaded.figures : undefined;
  const access = collection.can_read && collection.can_write ? 'readWrite' : collection.can_read ? 'readOnly' : 'writeOnly';
  return (
    <section class="collection-card" aria-labelledby={headingId} data-collection={collection.alias ?? collection.id}>
      <h2 id={headingId}>{collection.title}</h2>
      <dl class="collection-facts">
        {collection.alias !== undefined && (<><dt>{t('alias')}</dt><dd><code>{collection.alias}</code></dd></>)}
        <dt>{t('id')}</dt><dd><code>{collection.id}</code></dd>
        <dt>{t('defaultMarking')}</dt><dd>TLP:{collection.default_marking.toUpperCase()}</dd>
        {f?.owner !== undefined && (<><dt>{t('owner')}</dt><dd>{f.owner.trust_group !== undefined ? t('ownerGroup', { name: f.owner.trust_group }) : t('ownerOrganization', { name: f.owner.organization ?? '' })}</dd></>)}
        {f?.entitled !== undefined ? (
          <>
            <dt>{t('readers')}</dt><dd>{f.entitled.map((e) => e.organization).join(', ')}</dd>
            <dt>{t('writers')}</dt><dd>{f.entitled.filter((e) => e.write).map((e) => e.organization).join(', ')}</dd>
          </>
        ) : (
          <><dt>{t('yourAccess')}</dt><dd data-access={access}>{t(access)} <span class="collection-note">{t('membersHidden')}</span></dd></>
        )}
        {f !== undefined && collection.can_read && (
          <>
            <dt>{t('objects')}</dt><dd data-figure="objects">{f.objects}</dd>
            <dt>{t('indicators')}</dt><dd data-figure="indicators">{f.indicators}</dd>
            <dt>{t('lastActivity')}</dt><dd><TimeText value={f.last_added} missing={t('noActivity')} /></dd>
          </>
        )}
        {collection.can_read && hasRole(session, 'consumer') && f?.own_polls !== undefined && (<><dt>{t('lastPoll')}</dt><dd data-polls="own"><OwnPoll t={t} polls={f.own_polls} /></dd></>)}
      </dl>
      {loaded !== undefined && 'error' in loaded && <HubErrorLine error={loaded.failure} role="alert">{t('failed', { collection: label, message: loaded.error })}</HubErrorLine>}
      {!collection.can_read && <p>{t('notReadable')}</p>}
      {f !== undefined && collection.can_read && <CountsTable t={t} label={label} figures={f} />}
      {f?.consumer_polls !== undefined && <ConsumerPolls t={t} label={label} polls={f.consumer_polls} />}
      {collection.can_write && hasRole(session, 'provider') && (
        <p><a class="collection-share" href={hrefFor('share')}>{t('share')}</a></p>
      )}
    </section>
  );
}

function CountsTable({ t, label, figures }: { readonly t: Translate; readonly label: string; readonly figures: FiguresJson }) {
  if (figures.by_provider_and_tlp.length === 0) return <p>{t('noObjects')}</p>;
  const tlps = [...new Set(figures.by_provider_and_tlp.map((r) => r.tlp))];
  const providers = [...new Set(figures.by_provider_and_tlp.map((r) => r.provider ?? ''))];
  const cell = (provider: string, tlp: string) => figures.by_provider_and_tlp.find((r) => (r.provider ?? '') === provider && r.tlp === tlp)?.objects ?? 0;
  const indicators = (provider: string) => figures.by_provider_and_tlp.filter((r) => (r.provider ?? '') === provider).reduce((sum, r) => sum + r.indicators, 0);
  return (
    <table class="collection-counts">
      <caption>{t('countsCaption', { collection: label })}</caption>
      <thead>
        <tr><th scope="col">{t('provider')}</th>{tlps.map((tlp) => <th scope="col" key={tlp}>TLP:{tlp.toUpperCase()}</th>)}<th scope="col">{t('total')}</th><th scope="col">{t('indicatorsColumn')}</th></tr>
      </thead>
      <tbody>
        {providers.map((p) => (
          <tr key={p} data-provider={p}>
            <th scope="row">{p === '' ? t('providerHidden') : p}</th>
            {tlps.map((tlp) => <td key={tlp} data-tlp={tlp}>{cell(p, tlp)}</td>)}
            <td>{tlps.reduce((sum, tlp) => sum + cell(p, tlp), 0)}</td>
            <td data-indicators>{indicators(p)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
