import type { ComponentChildren } from 'preact';
import { useT } from '../i18n';
import { HubErrorHeading } from './hub-error';
import { componentMessages } from './messages';

/**
 * The lines above a list: its error (class `error`, empty and hidden when there is none), "Loading…"
 * (role=status) while the first page is on its way, and `empty` when the list came back empty.
 * `failure`, what was thrown (usePagedList's `failure`), puts the heading for the hub's refusal
 * above the error in the Japanese UI (hub-error.tsx).
 */
export function ListStatus(props: { readonly rows: readonly unknown[] | undefined; readonly error: string; readonly failure?: unknown; readonly empty: string }) {
  const t = useT(componentMessages);
  return (
    <>
      <p class="error">{props.error !== '' && <HubErrorHeading error={props.failure} />}{props.error}</p>
      {props.rows === undefined && props.error === '' && <p role="status">{t('loading')}</p>}
      {props.rows !== undefined && props.rows.length === 0 && <p>{props.empty}</p>}
    </>
  );
}

/** "Show more" under a list, while a next page exists. */
export function MoreButton(props: { readonly next: unknown; readonly onMore: () => void; readonly children?: ComponentChildren }) {
  const t = useT(componentMessages);
  if (props.next === undefined) return null;
  return <button type="button" onClick={props.onMore}>{props.children ?? t('loadMore')}</button>;
}
