/**
 * Which objects a report is about: a `sighting` is about its `sighting_of_ref`, an `opinion` or a
 * `note` about its `object_refs`; any other object reports on nothing. The providers of those objects
 * (when stored in the same collection and readable by the writer's organization) become the report's
 * named readers (see ./index, section 3); the store works them out with this list.
 */
export const REPORT_TYPES: ReadonlySet<string> = new Set(['sighting', 'opinion', 'note']);

export function reportedObjectIds(type: string, object: Readonly<Record<string, unknown>>): string[] {
  if (type === 'sighting') return typeof object.sighting_of_ref === 'string' ? [object.sighting_of_ref] : [];
  if (type !== 'opinion' && type !== 'note') return [];
  const refs = object.object_refs;
  if (!Array.isArray(refs)) return [];
  return [...new Set(refs.filter((r): r is string => typeof r === 'string'))];
}
