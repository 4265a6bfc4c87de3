import { readFileSync } from 'node:fs';
import path from 'node:path';
import { indicatorsMessages } from '../../console/src/pages/indicators/messages';
import { shareMessages } from '../../console/src/pages/share/messages';

const PAGES = path.resolve(__dirname, '..', '..', 'console', 'src', 'pages');

describe('the Share and Indicators pages speak English and Japanese', () => {
  test.each([['share', shareMessages], ['indicators', indicatorsMessages]] as const)('%s: every key in both languages, with the same {placeholders}', (_page, catalog) => {
    expect(Object.keys(catalog.ja).sort()).toEqual(Object.keys(catalog.en).sort());
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of Object.entries(catalog.en)) expect([key, placeholders(catalog.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test.each([
    ['share', shareMessages, ['share-page.tsx', 'line-check-table.tsx', 'bulk-upload.tsx']],
    ['indicators', indicatorsMessages, ['indicators-page.tsx', 'indicator-detail.tsx', 'lifecycle-dialog.tsx']],
  ] as const)('%s: every literal key the page asks for is in its catalog', (page, catalog, files) => {
    const asked = files.flatMap((file) => [...readFileSync(path.join(PAGES, page, file), 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
    expect(asked.length).toBeGreaterThan(5);
    expect(asked.filter((key) => catalog.en[key] === undefined)).toEqual([]);
  });
});
