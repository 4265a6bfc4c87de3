import path from 'node:path';
import { trustMapMessages } from '../../console/src/pages/trust-map/messages';
import { shellMessages } from '../../console/src/shell-messages';
import { RULE_NAMES } from '../../src/access/access-decision';
import { CONSOLE_SRC, expectAskedKeysIn, expectBothLanguages, missingFrom, tsxFilesIn } from './messages-check';

describe('the shell and the trust map speak English and Japanese', () => {
  test.each([['shell', shellMessages], ['trust map', trustMapMessages]] as const)('%s: every key in both languages, with the same {placeholders}', (_what, catalog) => {
    expectBothLanguages(catalog);
  });

  test('every literal key the shell and the trust map ask for is in their catalogs', () => {
    const shellFiles = [path.join(CONSOLE_SRC, 'main.tsx'), path.join(CONSOLE_SRC, 'shell', 'login-form.tsx')];
    expectAskedKeysIn(shellMessages, shellFiles);
    expectAskedKeysIn(trustMapMessages, tsxFilesIn(path.join(CONSOLE_SRC, 'pages', 'trust-map')));
  });

  test('every rule the recipients preview can name has words in the trust map\'s catalog', () => {
    expect(missingFrom(trustMapMessages.en, RULE_NAMES.map((rule) => `rule.${rule}`))).toEqual([]);
  });
});
