import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { collectionsMessages } from '../../console/src/pages/collections/messages';

const DIR = path.resolve(__dirname, '..', '..', 'console', 'src', 'pages', 'collections');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the Collections page speaks English and Japanese', () => {
  test('every key in both languages, with the same {placeholders}', () => {
    expect(Object.keys(collectionsMessages.ja).sort()).toEqual(Object.keys(collectionsMessages.en).sort());
    for (const [key, text] of Object.entries(collectionsMessages.en)) expect([key, placeholders(collectionsMessages.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('every literal key the page asks for is in its catalog', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.tsx')).map((f) => path.join(DIR, f));
    const asked = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
    expect(asked.length).toBeGreaterThan(10);
    expect(asked.filter((key) => collectionsMessages.en[key] === undefined)).toEqual([]);
  });

  test('the last poll and lag are told, not said to be unrecorded; a count never precedes a plural noun ("1 objects")', () => {
    for (const key of ['lastPoll', 'pollNever', 'pollLast', 'pollByUser', 'pollByKey', 'lagNone', 'lagBehind', 'lagOldest', 'pollsCaption']) expect(collectionsMessages.en[key]).toBeDefined();
    for (const [key, text] of Object.entries(collectionsMessages.en)) {
      expect([key, /does not record TAXII polls/.test(text)]).toEqual([key, false]);
      expect([key, /\{count\} [a-z]+s\b/.test(text)]).toEqual([key, false]);
    }
    expect(collectionsMessages.en.pollByKey).toContain('{key}');
    expect(collectionsMessages.ja.pollByKey).toContain('{key}');
  });
});
