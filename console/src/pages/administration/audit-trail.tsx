import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { useT, type Translate } from '../../i18n';
import { administrationMessages } from './messages';

/**
 * The audit trail (GET /admin/api/audit?order=newest): filters by entity type, entity id and actor,
 * newest first, pages of PAGE entries read on with `before`, each entry with its time, actor, action, entity, and what
 * changed between before and after (the whole records on demand).
 */

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly entity_type: string;
  readonly entity_id: string;
  readonly before: unknown;
  readonly after: unknown;
}

interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly next_before?: number;
}

interface Filters {
  readonly entityType: string;
  readonly entityId: string;
  readonly actor: string;
}

const NO_FILTERS: Filters = { entityType: '', entityId: '', actor: '' };
const PAGE = 50;
const PARAMS: Readonly<Record<keyof Filters, string>> = { entityType: 'entity_type', entityId: 'entity_id', actor: 'actor' };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const show = (value: unknown): string => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));

/** The top-level fields whose value differs between before and after, as "field: before → after". */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).map((k) => `${k}: ${show(before[k])} → ${show(after[k])}`);
}

function Change({ entry, t }: { entry: AuditEntry; t: Translate }) {
  const changes = changedFields(entry.before, entry.after);
  const headline = entry.before === null && entry.after !== null ? t('created')
    : entry.after === null && entry.before !== null ? t('removed')
      : changes.length === 0 ? t('unchanged') : undefined;
  return (
    <div class="audit-change">
      {headline !== undefined && <p>{headline}</p>}
      {changes.length > 0 && <ul class="audit-fields">{changes.map((c) => <li key={c}>{c}</li>)}</ul>}
      <details>
        <summary>{t('fullRecord')}</summary>
        <p class="audit-record-label">{t('before')}</p>
        <pre class="audit-record">{JSON.stringify(entry.before, null, 2)}</pre>
        <p class="audit-record-label">{t('after')}</p>
        <pre class="audit-record">{JSON.stringify(entry.after, null, 2)}</pre>
      </details>
    </div>
  );
}

export function AuditTrail() {
  const t = useT(administrationMessages);
  const announce = useAnnounce();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [rows, setRows] = useState<readonly AuditEntry[] | undefined>();
  const [next, setNext] = useState<number | undefined>();
  const [error, setError] = useState('');

  const load = async (before?: number) => {
    setError('');
    const q = new URLSearchParams({ order: 'newest', limit: String(PAGE) });
    for (const key of Object.keys(PARAMS) as (keyof Filters)[]) if (filters[key].trim() !== '') q.set(PARAMS[key], filters[key].trim());
    if (before !== undefined) q.set('before', String(before));
    try {
      const page = await api<AuditPage>('GET', `/admin/api/audit?${q.toString()}`);
      const all = before === undefined ? page.entries : [...(rows ?? []), ...page.entries];
      setRows(all);
      setNext(page.next_before);
      announce(t(page.next_before !== undefined ? 'summaryMore' : 'summary', { count: all.length }));
    } catch (e) {
      const message = t('failed', { message: e instanceof Error ? e.message : String(e) });
      setError(message);
      announce(message, 'error');
    }
  };

  useEffect(() => {
    setRows(undefined);
    void load();
  }, [filters]);

  const field = (name: keyof Filters) => ({
    id: `audit-${name}`,
    value: draft[name],
    onInput: (e: { currentTarget: { value: string } }) => setDraft({ ...draft, [name]: e.currentTarget.value }),
  });

  return (
    <section class="audit-trail" aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t('auditHeading')}</h2>
      <p>{t('auditIntro')}</p>
      <form class="filters" aria-label={t('filters')} onSubmit={(e) => { e.preventDefault(); setFilters(draft); }}>
        <div class="field">
          <label for="audit-entityId">{t('entityId')}</label>
          <input {...field('entityId')} />
        </div>
        <div class="field">
          <label for="audit-actor">{t('actor')}</label>
          <input {...field('actor')} />
        </div>
        <div class="field">
          <label for="audit-entityType">{t('entityType')}</label>
          <input {...field('entityType')} />
        </div>
        <div class="field">
          <button type="submit">{t('show')}</button>
        </div>
      </form>

      {error !== '' && <p class="error">{error}</p>}
      {rows === undefined && error === '' && <p role="status">{t('loading')}</p>}
      {rows !== undefined && rows.length === 0 && <p>{t('none')}</p>}
      {rows !== undefined && rows.length > 0 && (
        <div class="table-scroll">
          <table class="audit-list">
            <caption>{t('caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('time')}</th>
                <th scope="col">{t('actor')}</th>
                <th scope="col">{t('action')}</th>
                <th scope="col">{t('entity')}</th>
                <th scope="col">{t('change')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id} data-id={entry.id}>
                  <td><time dateTime={entry.at}>{entry.at}</time></td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>{entry.entity_type} <code>{entry.entity_id}</code></td>
                  <td><Change entry={entry} t={t} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next !== undefined && <button type="button" onClick={() => void load(next)}>{t('loadMore')}</button>}
    </section>
  );
}
