import fs from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOG, hubError, type ErrorCode } from '../../src/domain/errors';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
const codes = Object.keys(ERROR_CATALOG) as ErrorCode[];

describe('the error catalog', () => {
  test.each(codes)('%s maps to an HTTP error status and a TAXII 1.1 status type', (code) => {
    const entry = ERROR_CATALOG[code];
    expect(entry.httpStatus).toBeGreaterThanOrEqual(400);
    expect(entry.httpStatus).toBeLessThan(600);
    expect(entry.taxii11).toMatch(/^[A-Z_]+$/);
    expect(hubError(code).httpStatus).toBe(entry.httpStatus);
  });

  test.each(codes)('%s is documented in docs/errors.md with its HTTP status and TAXII 1.1 status', (code) => {
    const entry = ERROR_CATALOG[code];
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row).toBeDefined();
    expect(row).toContain(`| ${entry.httpStatus} |`);
    expect(row).toContain(`\`${entry.taxii11}\``);
  });

  test('docs/errors.md documents no code that the catalog lacks', () => {
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \| \d{3} \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...codes].sort());
  });
});
