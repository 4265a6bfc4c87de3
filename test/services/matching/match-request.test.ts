import { LOG_FORMATS } from '../../../src/domain/matching';
import { matchRequestOf, MAX_MATCH_ITEMS } from '../../../src/services/matching/match-request';
import { readSchema } from '../../../src/validation/schema-files';

interface MatchSchema {
  definitions: { match: { properties: { format: { enum: string[] }; values: { maxItems: number }; lines: { maxItems: number } } } };
}

describe('the POST /api/match request', () => {
  const schema = readSchema('match-request.schema.json') as unknown as MatchSchema;

  test('the schema offers exactly the log formats the readers know, and auto; and the same bound as the service', () => {
    expect(schema.definitions.match.properties.format.enum).toEqual(['auto', ...LOG_FORMATS]);
    expect(schema.definitions.match.properties.values.maxItems).toBe(MAX_MATCH_ITEMS);
    expect(schema.definitions.match.properties.lines.maxItems).toBe(MAX_MATCH_ITEMS);
  });

  test('values or lines, not both; format with lines only, auto by default', () => {
    expect(matchRequestOf({ lines: ['x'] })).toEqual({ lines: ['x'], format: 'auto' });
    expect(matchRequestOf({ values: ['x'], collections: ['acme-internal'] })).toEqual({ values: ['x'], collections: ['acme-internal'] });
    const pathOf = (body: Parameters<typeof matchRequestOf>[0]) => {
      try {
        matchRequestOf(body);
        return undefined;
      } catch (error) {
        return (error as { details: { problems: { path: string }[] } }).details.problems.map((p) => p.path);
      }
    };
    expect(pathOf({ values: [], lines: [] })).toEqual(['lines']);
    expect(pathOf({ values: ['x'], format: 'squid' })).toEqual(['format']);
    expect(pathOf({})).toEqual(['values']);
  });
});
