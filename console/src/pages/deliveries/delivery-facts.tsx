import type { Translate } from '../../i18n';
import type { Backlog, DeliveryState } from './types';

/** The small pieces every delivery kind shows the same way: a time, a state, a backlog, the last error. */

const shortTime = (text: string) => text.replace(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}).*Z$/, '$1 $2Z');

/** A time the hub gave, or `empty` (default: "never") when it gave none. */
export function When({ t, at, empty }: { readonly t: Translate; readonly at: string | null | undefined; readonly empty?: string }) {
  if (at === null || at === undefined) return <span class="delivery-none">{empty ?? t('never')}</span>;
  return <time dateTime={at}>{shortTime(at)}</time>;
}

export const whenText = (t: Translate, at: string | null | undefined) => (at === null || at === undefined ? t('never') : shortTime(at));

export function StateLabel({ t, state }: { readonly t: Translate; readonly state: DeliveryState }) {
  return <span class={`delivery-state state-${state}`} data-state={state}>{t(`state.${state}`)}</span>;
}

/** A webhook's or forward's backlog: events waiting (counted up to a cap), or none readable. */
export function backlogText(t: Translate, b: Backlog): string {
  if (b.backlog === null) return t('backlogUnreadable');
  return b.backlog_more ? t('backlogMore', { count: b.backlog }) : t('backlogEvents', { count: b.backlog });
}

/** The last error with its time, or "none". */
export function LastError({ t, error, at }: { readonly t: Translate; readonly error: string | null; readonly at: string | null }) {
  if (error === null) return <span class="delivery-none">{t('none')}</span>;
  return <span class="delivery-error">{at === null ? error : t('errorAt', { error, at: shortTime(at) })}</span>;
}
