import { useState } from 'preact/hooks';
import { api } from '../../api';
import { DataTable } from '../../components/data-table';
import { FilterBar, SelectField } from '../../components/filter-bar';
import { ListStatus, MoreButton } from '../../components/list-status';
import { usePagedList } from '../../components/paged-list';
import { TimeText, useFormatTime } from '../../components/time-text';
import { useAnnounce } from '../../announce';
import type { Translate } from '../../i18n';
import { useT } from '../../i18n';
import { hasRole, useSession, type Session } from '../../session';
import { shareMessages } from '../share/messages';
import { useCollections } from '../share/collections';
import { CandidateDialog, type Decision } from './candidate-dialog';
import type { Candidate, CandidatePage } from './types';

/**
 * Campaign candidates (GET /api/campaign-candidates) with a status filter and paging; each with its
 * sizes, shared values and members. Confirm and Reject are offered to those the hub lets decide:
 * operators, and an org-admin for a candidate whose every member its own organization provides.
 */

const STATUSES = ['open', 'rejected', 'in-campaign', 'all'] as const;
const PAGE = 20;

/** The hub's rule (campaign-candidate-service mayDecide), as far as the console can see it. */
export function mayDecide(session: Session, candidate: Candidate): boolean {
  if (candidate.status === 'rejected') return false;
  if (hasRole(session, 'operator')) return true;
  return hasRole(session, 'org-admin') && candidate.members.every((m) => m.provider === session.organization);
}

export function CandidatesSection({ t }: { readonly t: Translate }) {
  const kinds = useT(shareMessages);
  const session = useSession();
  const announce = useAnnounce();
  const { collections } = useCollections();
  const time = useFormatTime();
  const collectionName = (id: string) => {
    const c = collections?.find((x) => x.id === id);
    return c === undefined ? id : (c.alias ?? c.title);
  };
  const [draft, setDraft] = useState<string>('open');
  const [status, setStatus] = useState<string>('open');
  const [reload, setReload] = useState(0);
  const [deciding, setDeciding] = useState<{ readonly candidate: Candidate; readonly decision: Decision } | undefined>();

  const list = usePagedList<Candidate, string>({
    deps: [status, reload],
    fetchPage: async (after) => {
      const q = new URLSearchParams({ status, limit: String(PAGE) });
      if (after !== undefined) q.set('after', after);
      const page = await api<CandidatePage>('GET', `/api/campaign-candidates?${q.toString()}`);
      return { rows: page.candidates, next: page.next };
    },
    summary: (count, more) => t(more ? 'candidatesSummaryMore' : 'candidatesSummary', { count }),
    failed: (message) => t('failed', { message }),
    quiet: () => reload > 0,
  });
  const { rows } = list;

  const decide = async (candidate: Candidate, decision: Decision, text: { readonly name: string; readonly description: string }) => {
    const path = `/api/campaign-candidates/${encodeURIComponent(candidate.id)}/${decision}`;
    if (decision === 'confirm') {
      const body = { name: text.name, ...(text.description !== '' ? { description: text.description } : {}) };
      const answer = await api<{ campaign: { name: string }; written: unknown[] }>('POST', path, body);
      announce(t('confirmed', { name: answer.campaign.name, count: answer.written.length }));
    } else {
      await api('POST', path, text.description !== '' ? { reason: text.description } : {});
      announce(t('rejected', { id: candidate.id }));
    }
    setReload((r) => r + 1);
  };

  return (
    <section class="analysis-section" aria-labelledby="candidates-heading">
      <h2 id="candidates-heading">{t('candidatesHeading')}</h2>
      <p class="help">{t('candidatesHelp')}</p>
      <FilterBar class="candidate-filters" onSubmit={() => { if (draft === status) setReload((r) => r + 1); else setStatus(draft); }}>
        <SelectField id="candidate-status" label={t('status')} value={draft} choices={STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))} onChange={setDraft} />
      </FilterBar>
      <ListStatus rows={rows} error={list.error} failure={list.failure} empty={t('noCandidates')} />
      {rows?.map((c) => (
        <article key={c.id} class="candidate" data-id={c.id} aria-labelledby={`h-${c.id}`}>
          <h3 id={`h-${c.id}`}>{c.shared.map((s) => s.value).join(', ') || c.id}</h3>
          <p>
            <span class={`status status-${c.status}`}>{t(`status.${c.status}`)}</span>{' · '}
            {t('sizes', c.sizes)}{' · '}
            {t('activity', { first: time(c.first_added), last: time(c.last_added) })}
          </p>
          <p><code>{c.id}</code></p>
          {c.campaign !== undefined && (
            <p>
              {t('inCampaign', { name: c.campaign.name })}
              {c.campaign.new_members.length > 0 && ` ${t('newMembers', { count: c.campaign.new_members.length })}`}
            </p>
          )}
          {c.rejection !== undefined && (
            <p>{c.rejection.reason !== undefined ? t('rejectedBecause', { at: time(c.rejection.rejected_at), reason: c.rejection.reason }) : t('rejectedAt', { at: time(c.rejection.rejected_at) })}</p>
          )}
          <h4>{t('shared')}</h4>
          <ul class="shared-values">
            {c.shared.map((s) => <li key={`${s.kind}-${s.value}`}>{t(`shared.${s.kind}`)}: <code>{s.value}</code></li>)}
          </ul>
          <DataTable
            class="candidate-members"
            caption={t('members', { id: c.id })}
            columns={[t('indicator'), t('kind'), t('tlp'), t('provider'), t('collection'), t('added')]}
          >
            {c.members.map((m) => (
              <tr key={`${m.collection}/${m.id}`}>
                <th scope="row">{m.value ?? m.id}</th>
                <td>{m.kind !== undefined ? kinds(`kind.${m.kind}`) : ''}</td>
                <td>TLP:{m.tlp.toUpperCase()}</td>
                <td>{m.provider ?? t('hidden')}</td>
                <td>{collectionName(m.collection)}</td>
                <td><TimeText value={m.first_added} /></td>
              </tr>
            ))}
          </DataTable>
          {mayDecide(session, c) && (
            <div class="actions">
              <button type="button" class="primary" aria-label={t('confirmOf', { id: c.id })} onClick={() => setDeciding({ candidate: c, decision: 'confirm' })}>{t('confirm')}</button>
              <button type="button" aria-label={t('rejectOf', { id: c.id })} onClick={() => setDeciding({ candidate: c, decision: 'reject' })}>{t('reject')}</button>
            </div>
          )}
        </article>
      ))}
      <MoreButton next={list.next} onMore={list.more} />
      {deciding !== undefined && (
        <CandidateDialog
          key={`${deciding.candidate.id}-${deciding.decision}`}
          t={t}
          decision={deciding.decision}
          members={deciding.candidate.members.length}
          onDecide={(text) => decide(deciding.candidate, deciding.decision, text)}
          onClose={() => setDeciding(undefined)}
        />
      )}
    </section>
  );
}
