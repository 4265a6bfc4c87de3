import type { ComponentChildren } from 'preact';
import { useLang } from '../i18n';
import { hubErrorHeading } from './hub-error-messages';

/**
 * The hub answers in English. In the Japanese UI a refusal gets a short Japanese heading chosen by
 * the hub's error code or HTTP status (hub-error-messages.ts: 「権限がありません」 for a 403,
 * 「現在の状態ではできません」 for a 409, …) shown above the page's own words, which carry the hub's
 * detail unchanged. The English UI shows the hub's words alone (they already say it).
 */

/** The heading for a caught error in the current UI language; undefined in English or for no hub answer. */
export function useHubErrorHeading(): (error: unknown) => string | undefined {
  const lang = useLang();
  return (error) => (lang === 'ja' ? hubErrorHeading(lang, error) : undefined);
}

/** Heading and text as one string, for what only takes a string (an announcement in the live region). */
export function useHubErrorText(): (error: unknown, text: string) => string {
  const heading = useHubErrorHeading();
  return (error, text) => {
    const words = heading(error);
    return words === undefined ? text : `${words}。${text}`;
  };
}

/** The heading as the first line of an error element (`<strong class="hub-error-heading">`), or nothing. */
export function HubErrorHeading(props: { readonly error: unknown }) {
  const words = useHubErrorHeading()(props.error);
  return words === undefined ? null : <strong class="hub-error-heading">{words}</strong>;
}

/**
 * An error line, `<p class="error">`: the heading for `error` above `children` (the page's words with
 * the hub's message). Empty, and hidden by the stylesheet, when both are empty.
 */
export function HubErrorLine(props: { readonly error: unknown; readonly id?: string; readonly role?: 'alert'; readonly children?: ComponentChildren }) {
  return (
    <p class="error" id={props.id} role={props.role}>
      <HubErrorHeading error={props.error} />
      {props.children}
    </p>
  );
}
