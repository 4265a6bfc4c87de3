import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { DataTable } from '../../components/data-table';
import { FilterBar, SelectField, TextField } from '../../components/filter-bar';
import { HubErrorLine } from '../../components/hub-error';
import { ListStatus, MoreButton } from '../../components/list-status';
import { usePagedList } from '../../components/paged-list';
import { TimeText } from '../../components/time-text';
import { useT } from '../../i18n';
import { hrefFor, useRoute } from '../../router';
import { collectionLabel, useCollections } from '../share/collections';
import { INDICATOR_KINDS, STATES, TLP_LEVELS, type ListedIndicator, type Listing } from '../share/hub-types';
import { shareMessages } from '../share/messages';
import { IndicatorDetail } from './indicator-detail';
import { indicatorsMessages } from './messages';
import '../share/pages.css';

/**
 * Indicators: a collection's indicators the user may read (GET /api/collections/{c}/indicators) with
 * the hub's filters and paging, and one indicator's details with its lifecycle actions. The
 * collection and the filters shown are in the address (#/indicators?collection=…&state=…), so a
 * reload or a shared link shows the same list, and Back goes to the list shown before.
 */

interface Filters {
  readonly state: string;
  readonly kind: string;
  readonly provider: string;
  readonly campaign: string;
  readonly tlp: string;
}

const FILTER_NAMES: readonly (keyof Filters)[] = ['state', 'kind', 'provider', 'campaign', 'tlp'];
const PAGE = 50;
const PATH = 'indicators';

/** The filters an address asks for (the hub's own query names; absent ones are ''). */
export function filtersOf(query: URLSearchParams): Filters {
  const read = (name: keyof Filters) => query.get(name)?.trim() ?? '';
  return { state: read('state'), kind: read('kind'), provider: read('provider'), campaign: read('campaign'), tlp: read('tlp') };
}

/** The address's query for a collection and filters: only what is set, in a fixed order. */
export function queryOf(collection: string, filters: Filters): Record<string, string> {
  const query: Record<string, string> = collection === '' ? {} : { collection };
  for (const name of FILTER_NAMES) if (filters[name].trim() !== '') query[name] = filters[name].trim();
  return query;
}

export function IndicatorsPage() {
  const t = useT(indicatorsMessages);
  const kinds = useT(shareMessages);
  const { collections, error: collectionsError, failure: collectionsFailure } = useCollections();
  const readable = useMemo(() => (collections ?? []).filter((c) => c.can_read), [collections]);
  const route = useRoute();
  const address = route.query.toString();
  // The list shown is the address's; the form is a draft until Show, and follows the address on Back.
  const filters = useMemo(() => filtersOf(route.query), [address]);
  const asked = route.query.get('collection') ?? '';
  const collection = readable.some((c) => c.id === asked) ? asked : (readable[0]?.id ?? '');
  const [draft, setDraft] = useState<Filters>(filters);
  const [selected, setSelected] = useState<ListedIndicator | undefined>();
  const [reload, setReload] = useState(0);
  // A list reloaded after a lifecycle action stays quiet: the action's own announcement is the news.
  const quiet = useRef(false);

  useEffect(() => setDraft(filters), [filters]);
  const chosen = readable.find((c) => c.id === collection);

  /** Shows a list by its address: a new history entry, so Back returns to the one before. */
  const go = (nextCollection: string, nextFilters: Filters) => {
    setSelected(undefined);
    const href = hrefFor(PATH, queryOf(nextCollection, nextFilters));
    if (href === location.hash) setReload((r) => r + 1); // the same list again: read it anew
    else location.hash = href;
  };

  const list = usePagedList<ListedIndicator, string>({
    deps: [collection, filters, reload],
    enabled: collection !== '',
    fetchPage: async (after) => {
      const q = new URLSearchParams({ limit: String(PAGE) });
      for (const [key, value] of Object.entries(filters)) if (value.trim() !== '') q.set(key, value.trim());
      if (after !== undefined) q.set('after', after);
      const page = await api<Listing>('GET', `/api/collections/${collection}/indicators?${q.toString()}`);
      return { rows: page.indicators, next: page.more ? page.next_after : undefined };
    },
    summary: (count, more) => t(more ? 'listSummaryMore' : 'listSummary', { count }),
    failed: (message) => t('failed', { message }),
    quiet: () => {
      const q = quiet.current;
      quiet.current = false;
      return q;
    },
  });
  const { rows } = list;

  /** Closing the details gives the focus back to the row's Details button (or the table, when the row is gone). */
  const closeDetails = (id: string) => {
    setSelected(undefined);
    setTimeout(() => {
      const button = document.querySelector<HTMLButtonElement>(`tr[data-id="${CSS.escape(id)}"] button`);
      (button ?? document.querySelector<HTMLElement>('#page-heading'))?.focus();
    }, 0);
  };

  if (collectionsError !== undefined) return <HubErrorLine role="alert" error={collectionsFailure}>{collectionsError}</HubErrorLine>;
  if (collections === undefined) return <p role="status">{t('loadingCollections')}</p>;
  if (readable.length === 0) return <p class="notice">{t('noReadable')}</p>;

  const field = (name: keyof Filters, label: string) => (
    <TextField id={`ind-${name}`} label={label} value={draft[name]} onInput={(value) => setDraft({ ...draft, [name]: value })} />
  );
  const choose = (name: keyof Filters, label: string, choices: readonly { value: string; label: string }[]) => (
    <SelectField id={`ind-${name}`} label={label} value={draft[name]} any choices={choices} onChange={(value) => setDraft({ ...draft, [name]: value })} />
  );

  return (
    <div class="indicators-page">
      <FilterBar label={t('filters')} onSubmit={() => go(collection, draft)}>
        <SelectField id="ind-collection" label={t('collection')} value={collection} choices={readable.map((c) => ({ value: c.id, label: collectionLabel(c) }))} onChange={(value) => go(value, filters)} />
        {choose('state', t('state'), STATES.map((s) => ({ value: s, label: t(`state.${s}`) })))}
        {choose('kind', t('kind'), INDICATOR_KINDS.map((k) => ({ value: k, label: kinds(`kind.${k}`) })))}
        {choose('tlp', t('tlp'), TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` })))}
        {field('provider', t('provider'))}
        {field('campaign', t('campaign'))}
      </FilterBar>

      <ListStatus rows={rows} error={list.error} failure={list.failure} empty={t('none')} />
      {rows !== undefined && rows.length > 0 && chosen !== undefined && (
        <DataTable
          class="indicator-list"
          caption={t('listCaption', { collection: chosen.title })}
          columns={[t('name'), t('kind'), t('state'), t('tlp'), t('providerColumn'), t('validUntil'), t('sightings'), t('falsePositives'), { label: t('details'), hidden: true }]}
        >
          {rows.map((row) => (
            <tr key={row.id} data-id={row.id} aria-current={selected?.id === row.id ? 'true' : undefined}>
              <th scope="row">{row.name ?? row.id}</th>
              <td>{row.kind !== undefined ? kinds(`kind.${row.kind}`) : ''}</td>
              <td class={`state state-${row.state}`}>{t(`state.${row.state}`)}</td>
              <td>{row.tlp !== undefined ? `TLP:${row.tlp.toUpperCase()}` : ''}</td>
              <td>{row.provider ?? t('hidden')}</td>
              <td><TimeText value={row.valid_until} /></td>
              <td>{row.sightings?.count ?? 0}</td>
              <td>{row.sightings?.false_positives ?? 0}</td>
              <td><button type="button" aria-label={t('detailsOf', { name: row.name ?? row.id })} onClick={() => setSelected(row)}>{t('details')}</button></td>
            </tr>
          ))}
        </DataTable>
      )}
      <MoreButton next={list.next} onMore={list.more} />

      {selected !== undefined && chosen !== undefined && (
        <IndicatorDetail key={selected.id} t={t} collection={chosen} listed={selected} onChanged={() => { quiet.current = true; setReload((r) => r + 1); }} onClose={() => closeDetails(selected.id)} />
      )}
    </div>
  );
}
