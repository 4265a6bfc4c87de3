import { readFileSync } from 'node:fs';
import path from 'node:path';
import { administrationMessages } from '../../console/src/pages/administration/messages';
import { CONSOLE_SRC, expectAskedKeysIn, missingFrom, testBothLanguages, tsxFilesIn } from './messages-check';

const DIR = path.join(CONSOLE_SRC, 'pages', 'administration');

describe('the Administration page speaks English and Japanese', () => {
  testBothLanguages(administrationMessages);

  test('every literal key the page asks for is in its catalog', () => {
    expectAskedKeysIn(administrationMessages, tsxFilesIn(DIR), 0);
  });

  test('every column heading and kind of entity the lists name is in the catalog', () => {
    const source = readFileSync(path.join(DIR, 'hub-entities.tsx'), 'utf8');
    const columns = [...source.matchAll(/'(col\.\w+)'/g)].map((m) => m[1] as string);
    const kinds = (source.match(/const KINDS[^=]*= \[([^\]]*)\]/)?.[1] ?? '').split(',').map((k) => `kind.${k.trim().replace(/'/g, '')}`);
    expect(columns.length).toBeGreaterThan(5);
    expect(kinds).toHaveLength(4);
    expect(missingFrom(administrationMessages.en, [...columns, ...kinds])).toEqual([]);
  });

  test('the words built from a value are in both languages: each kind\'s New button, roles, key statuses, topologies, attribution, the date filter', () => {
    const built = [
      ...['organizations', 'users', 'trust-groups', 'collections'].map((k) => `new.${k}`),
      ...['provider', 'consumer', 'org-admin', 'operator'].map((r) => `role.${r}`),
      ...['active', 'revoked', 'expired'].map((s) => `status.${s}`),
      ...['horizontal', 'vertical', 'hybrid'].map((v) => `topology.${v}`),
      ...['attributed', 'hidden'].map((v) => `attribution.${v}`),
      'dateFrom', 'dateTo', 'daysHelp', 'declaredIn',
    ];
    for (const lang of ['en', 'ja'] as const) expect(missingFrom(administrationMessages[lang], built)).toEqual([]);
  });

  test('the token of a new key is said to be shown once, in both languages', () => {
    expect(administrationMessages.en.tokenOnce).toMatch(/will not be shown again/);
    expect(administrationMessages.ja.tokenOnce).toMatch(/二度と表示されません/);
  });
});
