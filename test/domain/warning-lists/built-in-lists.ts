import { readWarningLists } from '../../../src/config/warning-list-files';
import type { WarningLists } from '../../../src/domain/warning-lists';

/** The hub's own lists (schemas/warning-lists/*.json), read once per test file. */
export function builtInWarningLists(): WarningLists {
  const reading = readWarningLists();
  if (!reading.ok) throw new Error(`the built-in warning lists do not load: ${JSON.stringify(reading.problems)}`);
  return reading.lists;
}
