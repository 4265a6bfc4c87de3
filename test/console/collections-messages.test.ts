import path from 'node:path';
import { collectionsMessages } from '../../console/src/pages/collections/messages';
import { CONSOLE_SRC, expectAskedKeysIn, testBothLanguages, tsxFilesIn } from './messages-check';

const DIR = path.join(CONSOLE_SRC, 'pages', 'collections');

describe('the Collections page speaks English and Japanese', () => {
  testBothLanguages(collectionsMessages);

  test('every literal key the page asks for is in its catalog', () => {
    expectAskedKeysIn(collectionsMessages, tsxFilesIn(DIR), 10);
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
