import { lookUpCollection, type CollectionScope } from '../access/collection-names';
import type { CollectionPolicy, CompiledPolicy } from '../access';
import { hubError } from '../domain/errors';
import { notFoundError } from './access-errors';

/**
 * A collection named by a client (id or alias, see access/collection-names.ts), or the catalogued
 * error: NOT_FOUND for a name that names nothing (worded like a collection the caller may not see),
 * BAD_REQUEST for an alias used in several API roots. `field` names where the name came from (a body
 * field or query parameter) for the error's problems; absent for a path segment.
 */
export function collectionNamed(policy: CompiledPolicy, name: string, scope: CollectionScope, field?: string): CollectionPolicy {
  const found = collectionNamedIfAny(policy, name, scope, field);
  if (found !== undefined) return found;
  const where = scope.apiRootId === undefined ? `collection ${name}` : `collection ${name} in API root ${scope.apiRootId}`;
  if (field === undefined) throw notFoundError(where);
  throw hubError('NOT_FOUND', {
    description: `${field}: there is no ${where} (give the id or alias of a collection you can see)`,
    problems: [{ path: field, message: 'no such collection id or alias' }],
  });
}

/** As collectionNamed, but undefined for a name that names nothing (the caller words that error itself). */
export function collectionNamedIfAny(policy: CompiledPolicy, name: string, scope: CollectionScope, field?: string): CollectionPolicy | undefined {
  const found = lookUpCollection(policy, name, scope);
  if (found.found) return found.collection;
  if (found.reason === 'unknown') return undefined;
  const description = `the alias ${name} names collections in several API roots (${found.apiRoots.join(', ')}); give the collection's id instead`;
  throw hubError('BAD_REQUEST', {
    description: field === undefined ? description : `${field}: ${description}`,
    problems: [{ path: field ?? 'collection', message: 'ambiguous alias' }],
  });
}
