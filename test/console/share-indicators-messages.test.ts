import path from 'node:path';
import { indicatorsMessages } from '../../console/src/pages/indicators/messages';
import { shareMessages } from '../../console/src/pages/share/messages';
import { CONSOLE_SRC, expectAskedKeysIn, expectBothLanguages } from './messages-check';

const PAGES = path.join(CONSOLE_SRC, 'pages');

describe('the Share and Indicators pages speak English and Japanese', () => {
  test.each([['share', shareMessages], ['indicators', indicatorsMessages]] as const)('%s: every key in both languages, with the same {placeholders}', (_page, catalog) => {
    expectBothLanguages(catalog);
  });

  test.each([
    ['share', shareMessages, ['share-page.tsx', 'line-check-table.tsx', 'bulk-upload.tsx']],
    ['indicators', indicatorsMessages, ['indicators-page.tsx', 'indicator-detail.tsx', 'lifecycle-dialog.tsx']],
  ] as const)('%s: every literal key the page asks for is in its catalog', (page, catalog, files) => {
    expectAskedKeysIn(catalog, files.map((file) => path.join(PAGES, page, file)), 5);
  });
});
