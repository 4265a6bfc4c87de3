/** The STIX 2.1 object types by category (STIX 2.1 sections 4 to 7), for reference-type rules. */

export const SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern', 'campaign', 'course-of-action', 'grouping', 'identity', 'incident', 'indicator', 'infrastructure',
  'intrusion-set', 'location', 'malware', 'malware-analysis', 'note', 'observed-data', 'opinion', 'report',
  'threat-actor', 'tool', 'vulnerability',
]);

export const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);

export const SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact', 'autonomous-system', 'directory', 'domain-name', 'email-addr', 'email-message', 'file', 'ipv4-addr',
  'ipv6-addr', 'mac-addr', 'mutex', 'network-traffic', 'process', 'software', 'url', 'user-account',
  'windows-registry-key', 'x509-certificate',
]);

/** Objects that describe other objects or the data model itself rather than threat intelligence. */
export const META_TYPES: ReadonlySet<string> = new Set(['marking-definition', 'language-content', 'extension-definition']);

/** The type part of a STIX identifier (`indicator--…` -> `indicator`), or undefined when it has no `--`. */
export function idType(id: string): string | undefined {
  const separator = id.indexOf('--');
  return separator > 0 ? id.slice(0, separator) : undefined;
}

/** An SDO, counting custom and other unlisted types (they are SDOs unless declared otherwise). */
export function isDomainObjectType(type: string): boolean {
  return !SCO_TYPES.has(type) && !SRO_TYPES.has(type) && !META_TYPES.has(type) && type !== 'bundle';
}

/** An SDO or SCO: what a relationship may connect (STIX 2.1 section 5.1). */
export function isDomainOrObservableType(type: string): boolean {
  return !SRO_TYPES.has(type) && !META_TYPES.has(type) && type !== 'bundle';
}

/** What observed-data may refer to: SCOs and the relationships between them (STIX 2.1 section 4.14). */
export function isObservableOrRelationshipType(type: string): boolean {
  return !SDO_TYPES.has(type) && type !== 'sighting' && !META_TYPES.has(type) && type !== 'bundle';
}
