import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { DataTable } from '../../components/data-table';
import { Field, FilterBar, TextField } from '../../components/filter-bar';
import { ListStatus, MoreButton } from '../../components/list-status';
import { usePagedList } from '../../components/paged-list';
import { TimeText } from '../../components/time-text';
import { useT, type Translate } from '../../i18n';
import { useRoute } from '../../router';
import { administrationMessages } from './messages';

/**
 * The audit trail (GET /admin/api/audit?order=newest): filters by entity type, entity id, actor and
 * days (from and to, both included, in the browser's time zone: sent as `since` and `until`),
 * newest first, pages of PAGE entries read on with `before`, each entry with its time, actor, action, entity, and what
 * changed between before and after (the whole records on demand). The address may ask for the
 * filters (#/administration?audit_entity_type=indicator&audit_entity_id=…, as an indicator's
 * details link here): they are filled in and shown.
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
  /** Days as <input type="date"> gives them (YYYY-MM-DD), or ''. */
  readonly from: string;
  readonly to: string;
}

const NO_FILTERS: Filters = { entityType: '', entityId: '', actor: '', from: '', to: '' };
const PAGE = 50;
const PARAMS: Readonly<Record<'entityType' | 'entityId' | 'actor', string>> = { entityType: 'entity_type', entityId: 'entity_id', actor: 'actor' };

/** The filters the address asks for: the hub's query names with `audit_` before them (absent ones are ''). */
export function auditFiltersOf(query: URLSearchParams): Filters {
  const read = (name: string) => query.get(`audit_${name}`)?.trim() ?? '';
  return { ...NO_FILTERS, entityType: read(PARAMS.entityType), entityId: read(PARAMS.entityId), actor: read(PARAMS.actor) };
}

/**
 * The instant a day starts in the browser's time zone, `days` days later, as RFC 3339 (UTC): `from`
 * is sent as `since` (its day's start, included), `to` as `until` (the next day's start, excluded).
 */
export function dayStart(day: string, days = 0): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const start = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + days);
  return Number.isNaN(start.getTime()) ? undefined : start.toISOString();
}

/** The browser's time zone as it names it (e.g. Asia/Tokyo), said next to the day fields. */
const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';

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
  const asked = auditFiltersOf(useRoute().query);
  const askedKey = JSON.stringify(asked);
  const [draft, setDraft] = useState<Filters>(asked);
  const [filters, setFilters] = useState<Filters>(asked);
  // Another address asking for other filters (a second indicator's link) shows those.
  const lastAsked = useRef(askedKey);
  useEffect(() => {
    if (lastAsked.current === askedKey) return;
    lastAsked.current = askedKey;
    setDraft(asked);
    setFilters(asked);
  }, [askedKey]);
  const [dateError, setDateError] = useState('');
  const list = usePagedList<AuditEntry, number>({
    deps: [filters],
    fetchPage: async (before) => {
      const q = new URLSearchParams({ order: 'newest', limit: String(PAGE) });
      for (const key of Object.keys(PARAMS) as (keyof typeof PARAMS)[]) if (filters[key].trim() !== '') q.set(PARAMS[key], filters[key].trim());
      const since = dayStart(filters.from);
      const until = dayStart(filters.to, 1);
      if (since !== undefined) q.set('since', since);
      if (until !== undefined) q.set('until', until);
      if (before !== undefined) q.set('before', String(before));
      const page = await api<AuditPage>('GET', `/admin/api/audit?${q.toString()}`);
      return { rows: page.entries, next: page.next_before };
    },
    summary: (count, more) => t(more ? 'summaryMore' : 'summary', { count }),
    failed: (message) => t('failed', { message }),
  });
  const { rows } = list;

  const show = () => {
    if (draft.from !== '' && draft.to !== '' && draft.to < draft.from) {
      setDateError(t('dateOrder'));
      return;
    }
    setDateError('');
    setFilters(draft);
  };

  const day = (name: 'from' | 'to', label: string) => (
    <Field id={`audit-${name}`} label={label}>
      <input
        id={`audit-${name}`}
        type="date"
        value={draft[name]}
        aria-invalid={dateError !== '' ? true : undefined}
        aria-describedby="audit-days-help audit-days-error"
        onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
      />
    </Field>
  );

  const field = (name: keyof typeof PARAMS, label: string) => (
    <TextField id={`audit-${name}`} label={label} value={draft[name]} onInput={(value) => setDraft({ ...draft, [name]: value })} />
  );

  return (
    <section class="audit-trail" aria-labelledby="audit-heading">
      <h2 id="audit-heading">{t('auditHeading')}</h2>
      <p>{t('auditIntro')}</p>
      <FilterBar label={t('filters')} onSubmit={show}>
        {field('entityId', t('entityId'))}
        {field('actor', t('actor'))}
        {field('entityType', t('entityType'))}
        {day('from', t('dateFrom'))}
        {day('to', t('dateTo'))}
      </FilterBar>
      <p id="audit-days-help" class="help">{t('daysHelp', { zone: timeZone() })}</p>
      <p id="audit-days-error" class="error" role="alert">{dateError}</p>

      <ListStatus rows={rows} error={list.error} failure={list.failure} empty={t('none')} />
      {rows !== undefined && rows.length > 0 && (
        <DataTable class="audit-list" caption={t('caption')} columns={[t('time'), t('actor'), t('action'), t('entity'), t('change')]}>
          {rows.map((entry) => (
            <tr key={entry.id} data-id={entry.id}>
              <td><TimeText value={entry.at} style="precise" /></td>
              <td>{entry.actor}</td>
              <td>{entry.action}</td>
              <td>{entry.entity_type} <code>{entry.entity_id}</code></td>
              <td><Change entry={entry} t={t} /></td>
            </tr>
          ))}
        </DataTable>
      )}
      <MoreButton next={list.next} onMore={list.more} />
    </section>
  );
}
