import { randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../storage/object-store';

/** The id of the hub's own identity, made (a random UUIDv4) the first time any process asks, then cached. */
export type HubIdentity = () => Promise<string>;

export function hubIdentityOf(objects: Pick<ObjectStore, 'hubIdentityId'>): HubIdentity {
  let id: Promise<string> | undefined;
  return () => {
    id ??= objects.hubIdentityId(() => `identity--${randomUUID()}`).catch((error: unknown) => {
      id = undefined; // ask the store again next time
      throw error;
    });
    return id;
  };
}
