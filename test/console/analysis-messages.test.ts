import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analysisMessages } from '../../console/src/pages/analysis/messages';

const DIR = path.resolve(__dirname, '..', '..', 'console', 'src', 'pages', 'analysis');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the Analysis page speaks English and Japanese', () => {
  test('every key in both languages, with the same {placeholders}', () => {
    expect(Object.keys(analysisMessages.ja).sort()).toEqual(Object.keys(analysisMessages.en).sort());
    for (const [key, text] of Object.entries(analysisMessages.en)) expect([key, placeholders(analysisMessages.ja[key] ?? '')]).toEqual([key, placeholders(text)]);
  });

  test('every literal key the page asks for is in its catalog, and every pivot reason and shared-value kind has words', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.tsx')).map((f) => path.join(DIR, f));
    const asked = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bt\('([\w.-]+)'/g)].map((m) => m[1] as string));
    expect(asked.filter((key) => analysisMessages.en[key] === undefined)).toEqual([]);
    const reasons = ['same-value', 'same-address', 'same-host', 'host-in-url', 'email-domain', 'subdomain', 'address-in-cidr', 'indicates', 'same-campaign'];
    const shared = ['host', 'address', 'network', 'email', 'url', 'hash', 'subject', 'attachment'];
    expect([...reasons.map((r) => `reason.${r}`), ...shared.map((s) => `shared.${s}`)].filter((key) => analysisMessages.en[key] === undefined)).toEqual([]);
  });
});
