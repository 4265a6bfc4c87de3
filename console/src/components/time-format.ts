import type { Lang } from '../i18n';

/**
 * The console's one way to write a time (time-text.tsx renders it): Intl.DateTimeFormat in the UI
 * language, in the browser's time zone with its name. Plain TypeScript, so a unit test reads it.
 */

/**
 * - `dateTime` (default): day, hours and minutes, time zone;
 * - `precise`: also the seconds (a history where two steps may fall in the same minute);
 * - `date`: the day only.
 */
export type TimeStyle = 'dateTime' | 'precise' | 'date';

const OPTIONS: Readonly<Record<TimeStyle, Intl.DateTimeFormatOptions>> = {
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  precise: { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  date: { year: 'numeric', month: 'short', day: 'numeric' },
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, style: TimeStyle, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${lang} ${style} ${timeZone ?? ''}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(lang, timeZone === undefined ? OPTIONS[style] : { ...OPTIONS[style], timeZone });
    formats.set(key, format);
  }
  return format;
}

/** The text for an RFC 3339 value in `lang` (in the browser's time zone unless `timeZone` names one); the value itself when it is no date. */
export function formatTime(lang: Lang, value: string, style: TimeStyle = 'dateTime', timeZone?: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : formatter(lang, style, timeZone).format(date);
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Whether a text is a full RFC 3339 time (e.g. what someone typed into a time field) the browser can read. */
export const isTime = (value: string): boolean => RFC_3339.test(value.trim()) && !Number.isNaN(new Date(value.trim()).getTime());
