import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { trustMapMessages } from '../../console/src/pages/trust-map/messages';
import { shellMessages } from '../../console/src/shell-messages';
import { RULE_NAMES } from '../../src/access/access-decision';

const SRC = path.resolve(__dirname, '..', '..', 'console', 'src');

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const askedIn = (files: readonly string[]) => files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));

describe('the shell and the trust map speak English and Japanese', () => {
  test.each([['shell', shellMessages], ['trust map', trustMapMessages]] as const)('%s: every key in both languages, with the same {placeholders}', (_what, catalog) => {
    expect(Object.keys(catalog.ja).sort()).toEqual(Object.keys(catalog.en).sort());
    for (const [key, text] of Object.entries(catalog.en)) expect([key, placeholders(catalog.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('every literal key the shell and the trust map ask for is in their catalogs', () => {
    const shellFiles = [path.join(SRC, 'main.tsx'), path.join(SRC, 'shell', 'login-form.tsx')];
    const mapDir = path.join(SRC, 'pages', 'trust-map');
    const mapFiles = readdirSync(mapDir).filter((f) => f.endsWith('.tsx')).map((f) => path.join(mapDir, f));
    expect(askedIn(shellFiles).filter((key) => shellMessages.en[key] === undefined)).toEqual([]);
    expect(askedIn(mapFiles).filter((key) => trustMapMessages.en[key] === undefined)).toEqual([]);
  });

  test('every rule the recipients preview can name has words in the trust map\'s catalog', () => {
    expect(RULE_NAMES.filter((rule) => trustMapMessages.en[`rule.${rule}`] === undefined)).toEqual([]);
  });
});
