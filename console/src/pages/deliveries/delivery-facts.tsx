import { TimeText, useFormatTime } from '../../components/time-text';
import type { Translate } from '../../i18n';
import { stateOf, type Backlog, type DeliveryAttempts, type DeliveryState } from './types';

/**
 * The small pieces every delivery kind shows the same way: a state, a backlog, the last error, and a
 * webhook's or forward's facts. Times are <TimeText style="precise"> (components/time-text.tsx):
 * attempts and retries fall seconds apart.
 */

export function StateLabel({ t, state }: { readonly t: Translate; readonly state: DeliveryState }) {
  return <span class={`delivery-state state-${state}`} data-state={state}>{t(`state.${state}`)}</span>;
}

/** A webhook's or forward's backlog: events waiting (counted up to a cap), or none readable. */
function backlogText(t: Translate, b: Backlog): string {
  if (b.backlog === null) return t('backlogUnreadable');
  return b.backlog_more ? t('backlogMore', { count: b.backlog }) : t('backlogEvents', { count: b.backlog });
}

/** The last error with its time, or "none". */
export function LastError({ t, error, at }: { readonly t: Translate; readonly error: string | null; readonly at: string | null }) {
  const time = useFormatTime();
  if (error === null) return <span class="delivery-none">{t('none')}</span>;
  return <span class="delivery-error">{at === null ? error : t('errorAt', { error, at: time(at, 'precise') })}</span>;
}

/**
 * The dt/dd pairs a webhook card and a forward card share: state (with failed attempts in a row),
 * backlog, last attempt, last delivered, last error, then `failingSince` if given, then the next
 * attempt unless paused.
 */
export function AttemptFacts({ t, paused, delivery: d, failingSince }: { readonly t: Translate; readonly paused: boolean; readonly delivery: DeliveryAttempts & Backlog; readonly failingSince?: string | null }) {
  return (
    <>
      <dt>{t('fact.state')}</dt>
      <dd data-fact="state"><StateLabel t={t} state={stateOf(paused, d)} />{d.consecutive_failures > 0 && <span class="delivery-note">{t('failures', { count: d.consecutive_failures })}</span>}</dd>
      <dt>{t('fact.backlog')}</dt><dd data-fact="backlog">{backlogText(t, d)}</dd>
      <dt>{t('fact.lastAttempt')}</dt><dd><TimeText value={d.last_attempt_at} style="precise" missing={t('never')} /></dd>
      <dt>{t('fact.lastSuccess')}</dt><dd><TimeText value={d.last_success_at} style="precise" missing={t('never')} /></dd>
      <dt>{t('fact.lastError')}</dt><dd data-fact="last-error"><LastError t={t} error={d.last_error} at={d.last_error_at} /></dd>
      {failingSince !== undefined && failingSince !== null && (<><dt>{t('fact.failingSince')}</dt><dd><TimeText value={failingSince} style="precise" /></dd></>)}
      {!paused && (<><dt>{t('fact.nextAttempt')}</dt><dd><TimeText value={d.next_attempt_at} style="precise" missing={t('none')} /></dd></>)}
    </>
  );
}
