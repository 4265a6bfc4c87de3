import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { useT } from '../../i18n';
import { collectionLabel, useCollections } from '../share/collections';
import { INDICATOR_KINDS, STATES, TLP_LEVELS, type ListedIndicator, type Listing } from '../share/hub-types';
import { shareMessages } from '../share/messages';
import { IndicatorDetail } from './indicator-detail';
import { indicatorsMessages } from './messages';
import '../share/pages.css';

/**
 * Indicators: a collection's indicators the user may read (GET /api/collections/{c}/indicators) with
 * the hub's filters and paging, and one indicator's details with its lifecycle actions.
 */

interface Filters {
  readonly state: string;
  readonly kind: string;
  readonly provider: string;
  readonly campaign: string;
  readonly tlp: string;
}

const NO_FILTERS: Filters = { state: '', kind: '', provider: '', campaign: '', tlp: '' };
const PAGE = 50;
/** 2027-05-30T08:00:00.000000Z as 2027-05-30 08:00Z: the list's column stays narrow (details show the full time). */
const shortTime = (text: string | undefined) => (text ?? '').replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}).*Z$/, '$1 $2Z');

export function IndicatorsPage() {
  const t = useT(indicatorsMessages);
  const kinds = useT(shareMessages);
  const announce = useAnnounce();
  const { collections, error: collectionsError } = useCollections();
  const readable = useMemo(() => (collections ?? []).filter((c) => c.can_read), [collections]);
  const [collection, setCollection] = useState('');
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<readonly ListedIndicator[] | undefined>();
  const [next, setNext] = useState<string | undefined>();
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<ListedIndicator | undefined>();
  const [reload, setReload] = useState(0);
  // A list reloaded after a lifecycle action stays quiet: the action's own announcement is the news.
  const quiet = useRef(false);

  useEffect(() => {
    if (collection === '' && readable[0] !== undefined) setCollection(readable[0].id);
  }, [readable, collection]);
  const chosen = readable.find((c) => c.id === collection);

  const query = (after?: string) => {
    const q = new URLSearchParams({ limit: String(PAGE) });
    for (const [key, value] of Object.entries(filters)) if (value.trim() !== '') q.set(key, value.trim());
    if (after !== undefined) q.set('after', after);
    return `/api/collections/${collection}/indicators?${q.toString()}`;
  };

  const load = async (after?: string) => {
    setError('');
    try {
      const page = await api<Listing>('GET', query(after));
      const all = after === undefined ? page.indicators : [...(rows ?? []), ...page.indicators];
      setRows(all);
      setNext(page.more ? page.next_after : undefined);
      if (!quiet.current) announce(t(page.more ? 'listSummaryMore' : 'listSummary', { count: all.length }));
      quiet.current = false;
    } catch (e) {
      const message = t('failed', { message: e instanceof Error ? e.message : String(e) });
      setError(message);
      announce(message, 'error');
    }
  };

  useEffect(() => {
    if (collection === '') return;
    setRows(undefined);
    void load();
  }, [collection, filters, reload]);

  /** Closing the details gives the focus back to the row's Details button (or the table, when the row is gone). */
  const closeDetails = (id: string) => {
    setSelected(undefined);
    setTimeout(() => {
      const button = document.querySelector<HTMLButtonElement>(`tr[data-id="${CSS.escape(id)}"] button`);
      (button ?? document.querySelector<HTMLElement>('#page-heading'))?.focus();
    }, 0);
  };

  if (collectionsError !== undefined) return <p class="error" role="alert">{collectionsError}</p>;
  if (collections === undefined) return <p role="status">{t('loadingCollections')}</p>;
  if (readable.length === 0) return <p class="notice">{t('noReadable')}</p>;

  const field = (name: keyof Filters) => ({ id: `ind-${name}`, value: draft[name], onInput: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }) });
  const choose = (name: keyof Filters) => ({ id: `ind-${name}`, value: draft[name], onChange: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }) });

  return (
    <div class="indicators-page">
      <form class="filters" aria-label={t('filters')} onSubmit={(e) => { e.preventDefault(); setSelected(undefined); setFilters(draft); }}>
        <div class="field">
          <label for="ind-collection">{t('collection')}</label>
          <select id="ind-collection" value={collection} onChange={(e) => { setSelected(undefined); setCollection(e.currentTarget.value); }}>
            {readable.map((c) => <option key={c.id} value={c.id}>{collectionLabel(c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="ind-state">{t('state')}</label>
          <select {...choose('state')}>
            <option value="">{t('any')}</option>
            {STATES.map((s) => <option key={s} value={s}>{t(`state.${s}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="ind-kind">{t('kind')}</label>
          <select {...choose('kind')}>
            <option value="">{t('any')}</option>
            {INDICATOR_KINDS.map((k) => <option key={k} value={k}>{kinds(`kind.${k}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="ind-tlp">{t('tlp')}</label>
          <select {...choose('tlp')}>
            <option value="">{t('any')}</option>
            {TLP_LEVELS.map((l) => <option key={l} value={l}>TLP:{l.toUpperCase()}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="ind-provider">{t('provider')}</label>
          <input {...field('provider')} />
        </div>
        <div class="field">
          <label for="ind-campaign">{t('campaign')}</label>
          <input {...field('campaign')} />
        </div>
        <div class="field">
          <button type="submit">{t('show')}</button>
        </div>
      </form>

      {error !== '' && <p class="error">{error}</p>}
      {rows === undefined && error === '' && <p role="status">{t('loading')}</p>}
      {rows !== undefined && rows.length === 0 && <p>{t('none')}</p>}
      {rows !== undefined && rows.length > 0 && chosen !== undefined && (
        <div class="table-scroll">
        <table class="indicator-list">
          <caption>{t('listCaption', { collection: chosen.title })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('name')}</th>
              <th scope="col">{t('kind')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('tlp')}</th>
              <th scope="col">{t('providerColumn')}</th>
              <th scope="col">{t('validUntil')}</th>
              <th scope="col">{t('sightings')}</th>
              <th scope="col">{t('falsePositives')}</th>
              <th scope="col"><span class="visually-hidden">{t('details')}</span></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-id={row.id} aria-current={selected?.id === row.id ? 'true' : undefined}>
                <th scope="row">{row.name ?? row.id}</th>
                <td>{row.kind !== undefined ? kinds(`kind.${row.kind}`) : ''}</td>
                <td class={`state state-${row.state}`}>{t(`state.${row.state}`)}</td>
                <td>{row.tlp !== undefined ? `TLP:${row.tlp.toUpperCase()}` : ''}</td>
                <td>{row.provider ?? t('hidden')}</td>
                <td><time dateTime={row.valid_until}>{shortTime(row.valid_until)}</time></td>
                <td>{row.sightings?.count ?? 0}</td>
                <td>{row.sightings?.false_positives ?? 0}</td>
                <td><button type="button" aria-label={t('detailsOf', { name: row.name ?? row.id })} onClick={() => setSelected(row)}>{t('details')}</button></td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {next !== undefined && <button type="button" onClick={() => void load(next)}>{t('loadMore')}</button>}

      {selected !== undefined && chosen !== undefined && (
        <IndicatorDetail key={selected.id} t={t} collection={chosen} listed={selected} onChanged={() => { quiet.current = true; setReload((r) => r + 1); }} onClose={() => closeDetails(selected.id)} />
      )}
    </div>
  );
}
