import path from 'node:path';
import { deliveriesMessages } from '../../console/src/pages/deliveries/messages';
import { FEED_FORMATS as CONSOLE_FEED_FORMATS } from '../../console/src/pages/deliveries/types';
import { FEED_FORMATS } from '../../src/domain/feeds/feed-formats';
import { CONSOLE_SRC, expectAskedKeysIn, missingFrom, testBothLanguages, tsxFilesIn } from './messages-check';

const DIR = path.join(CONSOLE_SRC, 'pages', 'deliveries');

describe('the Deliveries page speaks English and Japanese', () => {
  testBothLanguages(deliveriesMessages);

  test('every key the page asks for is in its catalog, the ones it builds too', () => {
    expectAskedKeysIn(deliveriesMessages, tsxFilesIn(DIR), 30);
    const built = [
      ...['active', 'failing', 'paused', 'polled'].map((s) => `state.${s}`),
      ...FEED_FORMATS.map((f) => `format.${f}`),
      ...['webhooks', 'forwards'].flatMap((k) => [`${k}Heading`, `${k}Intro`, `${k}None`, `list.${k}`]),
      ...['pause', 'resume', 'replay'].flatMap((a) => [`confirm.${a}.title`, `confirm.${a}.body`]),
    ];
    expect(missingFrom(deliveriesMessages.en, built)).toEqual([]);
  });

  test("the console offers the hub's feed formats, no more and no fewer", () => {
    expect([...CONSOLE_FEED_FORMATS]).toEqual([...FEED_FORMATS]);
  });
});
