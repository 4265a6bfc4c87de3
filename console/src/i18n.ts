import { createContext } from 'preact';
import { useCallback, useContext } from 'preact/hooks';

/**
 * Japanese and English. Each page keeps its own catalog (pages/<page>/messages.ts exporting
 * `{ en, ja }`), the shell its own (shell-messages.ts); `useT(catalog)` gives `t(key, params)`.
 * A key missing in Japanese falls back to English, a key missing in both shows the key itself.
 */

export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['ja', 'en'];
export type Messages = Readonly<Record<string, string>>;
export interface Catalog {
  readonly en: Messages;
  readonly ja: Messages;
}
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: string, params?: Params) => string;

const STORAGE_KEY = 'taxii-hub-console.lang';

export function translate(catalog: Catalog, lang: Lang, key: string, params?: Params): string {
  const text = catalog[lang][key] ?? catalog.en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
}

/** The remembered choice, else the browser's first language (Japanese when it is Japanese), else English. */
export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'ja') return stored;
  } catch {
    /* storage refused (private mode): fall through */
  }
  const preferred = navigator.languages?.[0] ?? navigator.language ?? 'en';
  return preferred.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered; the switch still works for this page */
  }
  document.documentElement.lang = lang;
}

export const LangContext = createContext<Lang>('en');

export function useLang(): Lang {
  return useContext(LangContext);
}

export function useT(catalog: Catalog): Translate {
  const lang = useContext(LangContext);
  return useCallback((key: string, params?: Params) => translate(catalog, lang, key, params), [catalog, lang]);
}
