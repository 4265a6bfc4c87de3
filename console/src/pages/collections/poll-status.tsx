import { TimeText } from '../../components/time-text';
import type { Translate } from '../../i18n';

/**
 * Last poll and lag (issue 16), as GET /api/collections/{c}/figures gives them: a consumer reads its
 * own organization's ("Your last poll: … ; objects behind: N, …" or "never polled"); an operator a
 * table of every consumer organization. The hub records TAXII 2.1 Get Objects / Get Object Manifests,
 * TAXII 1.1 Poll and reads of its change feed (GET /api/collections/{c}/changes); the lag counts what the organization may read and has not been served.
 */

type Protocol = 'taxii21' | 'taxii11' | 'changes' | 'feed' | 'stream';

export interface PollsJson {
  readonly organization: string;
  readonly last_poll?: { readonly at: string; readonly protocol: Protocol; readonly user: string; readonly api_key?: string };
  readonly reached?: string;
  readonly lag?: { readonly of: 'objects' | 'indicators'; readonly types?: readonly string[]; readonly objects: number; readonly versions: number; readonly more?: boolean; readonly oldest_waiting?: string };
}

const protocolName = (t: Translate, p: Protocol) => (p === 'taxii21' ? 'TAXII 2.1' : p === 'taxii11' ? 'TAXII 1.1' : p === 'feed' ? t('protocolFeed') : p === 'stream' ? t('protocolStream') : t('protocolChanges'));

function Who({ t, poll }: { readonly t: Translate; readonly poll: NonNullable<PollsJson['last_poll']> }) {
  return <>{poll.api_key !== undefined ? t('pollByKey', { key: poll.api_key, user: poll.user }) : t('pollByUser', { user: poll.user })}</>;
}

function Lag({ t, lag }: { readonly t: Translate; readonly lag: NonNullable<PollsJson['lag']> }) {
  const what = lag.of === 'indicators' ? t('lagIndicators') : lag.types !== undefined ? t('lagTypes', { types: lag.types.join(', ') }) : '';
  if (lag.objects === 0 || lag.oldest_waiting === undefined) return <span data-lag="0">{t('lagNone')}{what}</span>;
  return <span data-lag={lag.objects}>{t(lag.more === true ? 'lagBehindMore' : 'lagBehind', { count: lag.objects })}{what}; {t('lagOldest')} <TimeText value={lag.oldest_waiting} />.</span>;
}

/** The caller's own organization: the dd of "Your last poll and lag". */
export function OwnPoll({ t, polls }: { readonly t: Translate; readonly polls: PollsJson }) {
  const last = polls.last_poll;
  if (last === undefined) return <span data-last-poll="never">{t('pollNever')}</span>;
  return (
    <span data-last-poll={last.protocol}>
      {t('pollLast')} <TimeText value={last.at} /> ({protocolName(t, last.protocol)}, <Who t={t} poll={last} />){polls.lag !== undefined ? <>; <Lag t={t} lag={polls.lag} /></> : '.'}
    </span>
  );
}

/** Operators: every consumer organization of the collection, polled or not. */
export function ConsumerPolls({ t, label, polls }: { readonly t: Translate; readonly label: string; readonly polls: readonly PollsJson[] }) {
  return (
    <table class="collection-polls">
      <caption>{t('pollsCaption', { collection: label })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('pollOrganization')}</th>
          <th scope="col">{t('pollLastColumn')}</th>
          <th scope="col">{t('pollByColumn')}</th>
          <th scope="col">{t('pollBehindColumn')}</th>
          <th scope="col">{t('pollOldestColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {polls.map((p) => (
          <tr key={p.organization} data-organization={p.organization}>
            <th scope="row">{p.organization}</th>
            {p.last_poll === undefined ? (
              <td colSpan={4} data-last-poll="never">{t('pollNever')}</td>
            ) : (
              <>
                <td data-last-poll={p.last_poll.protocol}><TimeText value={p.last_poll.at} /> ({protocolName(t, p.last_poll.protocol)})</td>
                <td><Who t={t} poll={p.last_poll} /></td>
                <td data-lag={p.lag?.objects ?? ''}>{p.lag === undefined ? t('lagUnknown') : `${p.lag.objects}${p.lag.more === true ? '+' : ''}${p.lag.of === 'indicators' ? t('lagIndicators') : ''}`}</td>
                <td><TimeText value={p.lag?.oldest_waiting} missing="—" /></td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
