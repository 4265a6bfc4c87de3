import type { ReadScope } from '../../access/read-scope';

/**
 * The ReadScope predicate as SQL over stix_objects (columns provider_org_id, tlp, recipients,
 * named_readers; collection_events has the same), with
 * its parameters numbered from `firstParam`. The TypeScript reference is objectVisibleUnderScope;
 * a contract test checks both agree on both engines.
 */
export function scopeFilter(scope: ReadScope, firstParam: number): { sql: string; params: unknown[] } {
  switch (scope.kind) {
    case 'all':
      return { sql: 'TRUE', params: [] };
    case 'none':
      return { sql: 'FALSE', params: [] };
    case 'filtered': {
      const p = (offset: number) => `$${firstParam + offset}`;
      return {
        sql:
          `(provider_org_id = ${p(0)}` +
          ` OR ${p(0)} = ANY(named_readers)` +
          ` OR tlp = ANY(${p(1)}::text[])` +
          ` OR (tlp = 'amber' AND provider_org_id = ANY(${p(2)}::text[]))` +
          ` OR (tlp = 'amber+strict' AND provider_org_id = ANY(${p(3)}::text[]))` +
          ` OR (tlp = 'red' AND ${p(4)} = ANY(recipients)))`,
        params: [scope.self, scope.openMarkings, scope.amberProviders, scope.strictProviders, scope.redRecipient],
      };
    }
  }
}
