const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string has the shape of a UUID (any version). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const STIX_ID = /^([a-z][a-z0-9-]*)--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Whether a string has the shape of a STIX identifier (`type--uuid`), of the given type when one is named. */
export function isStixId(value: string, type?: string): boolean {
  const match = STIX_ID.exec(value);
  return match !== null && (type === undefined || match[1] === type);
}
