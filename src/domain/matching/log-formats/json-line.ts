/** A JSON-lines log line as an object; undefined when it is not one (broken JSON, an array, a bare value). */
export function jsonObjectOf(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
