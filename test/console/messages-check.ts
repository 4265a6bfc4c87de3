import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The checks every console message catalog (a page's or the components' messages.ts: `{ en, ja }`)
 * gets in test/console/*-messages.test.ts: the same keys in English and Japanese with the same
 * {placeholders}, and every literal key `t('…')` asks for present in the catalog.
 */

export interface Catalog {
  readonly en: Readonly<Record<string, string>>;
  readonly ja: Readonly<Record<string, string>>;
}

/** console/src, for the files whose t('…') keys a test reads. */
export const CONSOLE_SRC = path.resolve(__dirname, '..', '..', 'console', 'src');

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Japanese has exactly English's keys, and each text names the same {placeholders} in both. */
export function expectBothLanguages(catalog: Catalog): void {
  expect(Object.keys(catalog.ja).sort()).toEqual(Object.keys(catalog.en).sort());
  for (const [key, text] of Object.entries(catalog.en)) expect([key, placeholders(catalog.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
}

/** The test of that, under its usual name (after `prefix`, e.g. 'share: '). */
export function testBothLanguages(catalog: Catalog, prefix = ''): void {
  test(`${prefix}every key in both languages, with the same {placeholders}`, () => expectBothLanguages(catalog));
}

/** Every .tsx file in a folder (not below it). */
export function tsxFilesIn(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.tsx')).map((f) => path.join(dir, f));
}

/** The literal keys the files ask for with t('…'). */
export function keysAskedIn(files: readonly string[]): string[] {
  return files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
}

/** The keys (in order, repeats kept) that `words` (a catalog's en or ja) lacks. */
export function missingFrom(words: Readonly<Record<string, string>>, keys: readonly string[]): string[] {
  return keys.filter((key) => words[key] === undefined);
}

/**
 * Every literal key the files ask for is in the catalog's English (the same keys as Japanese, see
 * expectBothLanguages); with `moreThan`, the files ask for more than that many (so a changed call
 * shape that the pattern no longer sees does not pass unnoticed). Returns the keys asked for.
 */
export function expectAskedKeysIn(catalog: Catalog, files: readonly string[], moreThan?: number): string[] {
  const asked = keysAskedIn(files);
  if (moreThan !== undefined) expect(asked.length).toBeGreaterThan(moreThan);
  expect(missingFrom(catalog.en, asked)).toEqual([]);
  return asked;
}
