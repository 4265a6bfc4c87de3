import { createHash } from 'node:crypto';

/**
 * Name-based (version 5) UUIDs, RFC 9562 §5.5: the same name always gives the same id, so objects
 * the hub makes for a name (an organization's identity, a provider's campaign) are found again by
 * their id, on every hub process, without a lookup table.
 */

/** The hub's own namespace for the names it turns into STIX ids. */
export const HUB_NAMESPACE = '5e2b8f14-7c3d-4a9e-b6f1-0d4c8a2e9b73';

export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The STIX identity of a hub organization. */
export const organizationIdentityId = (organizationId: string): string => `identity--${uuidV5(HUB_NAMESPACE, `organization:${organizationId}`)}`;

/** The STIX identity of the hub itself (creator of its extension definition). */
export const HUB_IDENTITY_ID = `identity--${uuidV5(HUB_NAMESPACE, 'taxii-hub')}`;

/** A provider's campaign of this name. */
export const campaignId = (organizationId: string, name: string): string => `campaign--${uuidV5(HUB_NAMESPACE, `campaign:${organizationId}:${name}`)}`;

/** The relationship `source --type--> target`, one per triple. */
export const relationshipId = (sourceId: string, type: string, targetId: string): string =>
  `relationship--${uuidV5(HUB_NAMESPACE, `relationship:${sourceId}:${type}:${targetId}`)}`;
