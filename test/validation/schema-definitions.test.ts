import fs from 'node:fs';
import path from 'node:path';
import { definitionParsers } from '../../src/validation/schema-definitions';
import { PACKAGE_ROOT, readSchema } from '../../src/validation/schema-files';

/**
 * The request-body parsers compile a definition on the first body it checks, so a schema the strict
 * compiler refuses would only show on a request: every definition of every request schema is
 * compiled here, and a parser asked for a definition its file does not have fails at once.
 */
const REQUEST_SCHEMAS = fs.readdirSync(path.join(PACKAGE_ROOT, 'schemas')).filter((f) => f.endsWith('.schema.json') && !['hub-config.schema.json', 'warning-list.schema.json', 'submission.schema.json', 'hub-extension.schema.json'].includes(f));

describe('request-body parsers from schema definitions', () => {
  test.each(REQUEST_SCHEMAS)('every definition of %s compiles and checks a body', (file) => {
    const schema = readSchema(file);
    const parser = definitionParsers(schema);
    const names = Object.keys((schema.definitions ?? {}) as Record<string, unknown>);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      // A number is no request body of the hub's: each definition refuses it, naming the problem.
      expect(() => parser(name)(42)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }) as Error);
    }
  });

  test('a definition the file does not have is refused when the parser is made', () => {
    expect(() => definitionParsers(readSchema('hub-api.schema.json'))('no-such-definition')).toThrow('no schema definition no-such-definition');
  });
});
