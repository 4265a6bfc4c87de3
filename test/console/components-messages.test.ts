import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { componentMessages } from '../../console/src/components/messages';

const DIR = path.resolve(__dirname, '..', '..', 'console', 'src', 'components');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the shared console components speak English and Japanese', () => {
  test('every key in both languages, with the same {placeholders}', () => {
    expect(Object.keys(componentMessages.ja).sort()).toEqual(Object.keys(componentMessages.en).sort());
    for (const [key, text] of Object.entries(componentMessages.en)) expect([key, placeholders(componentMessages.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('every literal key a component asks for is in the catalog', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.tsx')).map((f) => path.join(DIR, f));
    const asked = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((key) => componentMessages.en[key] === undefined)).toEqual([]);
  });
});
