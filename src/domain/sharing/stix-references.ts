import { tlpFromMarkingRef } from '../tlp';

/**
 * The ids an object names: every string value of a property whose name ends in `_ref`, and every
 * string in an array under a name ending in `_refs`, at any depth (embedded relationships,
 * granular markings, extensions). TLP marking-definitions are left out: the hub serves them to
 * everyone (TLP:CLEAR), so naming one never reveals anything.
 */
export function referencedIds(object: Readonly<Record<string, unknown>>, selfId?: string): string[] {
  const found = new Set<string>();
  const stack: unknown[] = [object];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) if (typeof item === 'object' && item !== null) stack.push(item);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    for (const [name, property] of Object.entries(value)) {
      if (name.endsWith('_ref') && typeof property === 'string') add(found, property);
      else if (name.endsWith('_refs') && Array.isArray(property)) {
        for (const item of property) if (typeof item === 'string') add(found, item);
      } else if (typeof property === 'object' && property !== null) stack.push(property);
    }
  }
  if (selfId !== undefined) found.delete(selfId);
  return [...found];
}

function add(found: Set<string>, id: string): void {
  if (id.includes('--') && tlpFromMarkingRef(id) === undefined) found.add(id);
}
