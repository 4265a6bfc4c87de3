import { useLang } from '../i18n';
import { formatTime, type TimeStyle } from './time-format';

export { formatTime, isTime, type TimeStyle } from './time-format';

/**
 * Dates and times as the chosen UI language writes them (Intl.DateTimeFormat, `ja` or `en`), in the
 * browser's time zone, its name shown: 2026年12月7日 12:05 JST, or Dec 7, 2026, 03:05 UTC. The hub's
 * exact value (RFC 3339, UTC) stays in the <time> element's datetime and its title (a tooltip).
 * A value the browser cannot read is shown as it came.
 */

/**
 * `<time datetime={value} title={value}>` with the localised text. Without a value, `missing`
 * (e.g. "never") as plain text, or nothing.
 */
export function TimeText(props: { readonly value: string | null | undefined; readonly style?: TimeStyle; readonly missing?: string }) {
  const lang = useLang();
  const { value } = props;
  if (value === null || value === undefined || value === '') return props.missing === undefined ? null : <>{props.missing}</>;
  return <time dateTime={value} title={value}>{formatTime(lang, value, props.style)}</time>;
}

/** The same text for places that need a string (an announcement, a sentence with placeholders, an SVG title). */
export function useFormatTime(): (value: string | null | undefined, style?: TimeStyle, missing?: string) => string {
  const lang = useLang();
  return (value, style = 'dateTime', missing = '') => (value === null || value === undefined || value === '' ? missing : formatTime(lang, value, style));
}

