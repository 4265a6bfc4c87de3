import path from 'node:path';
import { componentMessages } from '../../console/src/components/messages';
import { CONSOLE_SRC, expectAskedKeysIn, testBothLanguages, tsxFilesIn } from './messages-check';

const DIR = path.join(CONSOLE_SRC, 'components');

describe('the shared console components speak English and Japanese', () => {
  testBothLanguages(componentMessages);

  test('every literal key a component asks for is in the catalog', () => {
    expectAskedKeysIn(componentMessages, tsxFilesIn(DIR), 0);
  });
});
