import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deliveriesMessages } from '../../console/src/pages/deliveries/messages';
import { FEED_FORMATS as CONSOLE_FEED_FORMATS } from '../../console/src/pages/deliveries/types';
import { FEED_FORMATS } from '../../src/domain/feeds/feed-formats';

const DIR = path.resolve(__dirname, '..', '..', 'console', 'src', 'pages', 'deliveries');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the Deliveries page speaks English and Japanese', () => {
  test('every key in both languages, with the same {placeholders}', () => {
    expect(Object.keys(deliveriesMessages.ja).sort()).toEqual(Object.keys(deliveriesMessages.en).sort());
    for (const [key, text] of Object.entries(deliveriesMessages.en)) expect([key, placeholders(deliveriesMessages.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('every key the page asks for is in its catalog, the ones it builds too', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.tsx')).map((f) => path.join(DIR, f));
    const asked = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
    expect(asked.length).toBeGreaterThan(30);
    const built = [
      ...['active', 'failing', 'paused', 'polled'].map((s) => `state.${s}`),
      ...FEED_FORMATS.map((f) => `format.${f}`),
      ...['webhooks', 'forwards'].flatMap((k) => [`${k}Heading`, `${k}Intro`, `${k}None`, `list.${k}`]),
      ...['pause', 'resume', 'replay'].flatMap((a) => [`confirm.${a}.title`, `confirm.${a}.body`]),
    ];
    expect([...asked, ...built].filter((key) => deliveriesMessages.en[key] === undefined)).toEqual([]);
  });

  test("the console offers the hub's feed formats, no more and no fewer", () => {
    expect([...CONSOLE_FEED_FORMATS]).toEqual([...FEED_FORMATS]);
  });
});
