import path from 'node:path';
import { analysisMessages } from '../../console/src/pages/analysis/messages';
import { CONSOLE_SRC, expectAskedKeysIn, missingFrom, testBothLanguages, tsxFilesIn } from './messages-check';

const DIR = path.join(CONSOLE_SRC, 'pages', 'analysis');

describe('the Analysis page speaks English and Japanese', () => {
  testBothLanguages(analysisMessages);

  test('every literal key the page asks for is in its catalog, and every pivot reason and shared-value kind has words', () => {
    expectAskedKeysIn(analysisMessages, tsxFilesIn(DIR));
    const reasons = ['same-value', 'same-address', 'same-host', 'host-in-url', 'email-domain', 'subdomain', 'address-in-cidr', 'indicates', 'same-campaign'];
    const shared = ['host', 'address', 'network', 'email', 'url', 'hash', 'subject', 'attachment'];
    expect(missingFrom(analysisMessages.en, [...reasons.map((r) => `reason.${r}`), ...shared.map((s) => `shared.${s}`)])).toEqual([]);
  });
});
