import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hubError, type HubError } from '../../../domain/errors';
import type { Principal } from '../../../domain/principal';
import type { AudienceStore, ChangeEvent, ChangeFeedStore } from '../../../storage/change-feed-store';
import type { SecretStore } from '../../../storage/secret-store';
import type { CollectionService } from '../../collection-service';
import type { PolicyService } from '../../policy-service';
import type { ChangeFeedService, ChangeRead, CursorReading } from './change-feed-service';

/**
 * The ChangeFeedService. Access is decided as TAXII 2.1 reads decide it: the collection gate of the
 * collection service (401 / 404 / 403, operator reads audited) and the reader's ReadScope from the
 * same resolution, which the store applies inside its queries. The cursor's MAC key lives in
 * hub_secrets, so a cursor from one hub process (or from before a restart) works on every other.
 */

export const CHANGE_FEED_CURSOR_KEY_NAME = 'change-feed-cursor-key';

/** The most stored events one read returns. */
export const MAX_CHANGE_READ = 1_000;

export interface ChangeFeedServiceDeps {
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly policy: Pick<PolicyService, 'current'>;
  readonly store: Pick<ChangeFeedStore, 'events' | 'lastPosition' | 'accessChanges'>;
  readonly audiences: AudienceStore;
  readonly secrets: SecretStore;
}

const MAC_BYTES = 16;
const POSITION = /^(0|[1-9][0-9]{0,15})$/;
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

export function createChangeFeedService(deps: ChangeFeedServiceDeps): ChangeFeedService {
  let key: Buffer | undefined;
  let loading: Promise<Buffer> | undefined;
  const loadKey = (): Promise<Buffer> => {
    if (key !== undefined) return Promise.resolve(key);
    loading ??= deps.secrets
      .getOrCreate(CHANGE_FEED_CURSOR_KEY_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => (key = Buffer.from(value, 'base64')))
      .catch((error: unknown) => {
        loading = undefined; // a database hiccup must not poison every later call
        throw error;
      });
    return loading;
  };

  const mac = (secret: Buffer, collectionId: string, position: number, audienceKey: string) =>
    createHmac('sha256', secret).update(`${collectionId}\u0000${position}\u0000${audienceKey}`).digest().subarray(0, MAC_BYTES);

  const seal = async (collectionId: string, position: number, audienceKey: string) =>
    `${position}.${audienceKey}.${mac(await loadKey(), collectionId, position, audienceKey).toString('base64url')}`;

  function decode(secret: Buffer, collectionId: string, cursor: string): CursorReading {
    const parts = cursor.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'a cursor has three parts separated by dots' };
    const [positionText, audienceKey, signature] = parts as [string, string, string];
    if (!POSITION.test(positionText) || !KEY.test(audienceKey)) return { ok: false, reason: 'the cursor is malformed' };
    const position = Number(positionText);
    if (!Number.isSafeInteger(position)) return { ok: false, reason: 'the cursor is malformed' };
    const given = Buffer.from(signature, 'base64url');
    const expected = mac(secret, collectionId, position, audienceKey);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'the cursor was not issued for this collection, or it was altered' };
    return { ok: true, position, audienceKey };
  }

  /** The collection gate and the reader's audience, exactly as a TAXII 2.1 read resolves them. */
  async function resolve(reader: Principal, collectionId: string) {
    const policy = await deps.policy.current();
    const apiRootId = policy.collections.get(collectionId)?.collection.apiRootId ?? '';
    const { collection, scope } = await deps.collections.resolveForAction(reader, apiRootId, collectionId, 'read');
    return { collectionId: collection.id, scope, audienceKey: await deps.audiences.remember(scope) };
  }

  return {
    async read(reader, collectionId, cursor, limit, options = {}): Promise<ChangeRead> {
      if (!Number.isSafeInteger(limit) || limit < 1) throw hubError('BAD_REQUEST', 'The limit must be a positive integer');
      const take = Math.min(limit, MAX_CHANGE_READ);
      const now = await resolve(reader, collectionId);
      const secret = await loadKey();
      let after = 0;
      const events: ChangeEvent[] = [];
      if (cursor !== undefined) {
        const reading = decode(secret, now.collectionId, cursor);
        if (!reading.ok) throw invalidCursor(reading.reason);
        after = reading.position;
        if (reading.audienceKey !== now.audienceKey) {
          const before = await deps.audiences.scopeOf(reading.audienceKey);
          if (before === undefined) throw invalidCursor('the cursor names an audience this hub does not know');
          const changes = await deps.store.accessChanges(now.collectionId, before, now.scope, after);
          events.push(...(options.types === undefined ? changes : changes.filter((e) => options.types?.includes(e.type))));
        }
      }
      const page = await deps.store.events({ collectionId: now.collectionId, scope: now.scope, after, ...(options.types !== undefined ? { types: options.types } : {}) }, take);
      events.push(...page.events);
      const position = page.events.at(-1)?.position ?? after;
      return { events, cursor: await seal(now.collectionId, position, now.audienceKey), more: page.more };
    },

    async currentCursor(reader, collectionId) {
      const now = await resolve(reader, collectionId);
      return seal(now.collectionId, await deps.store.lastPosition(now.collectionId), now.audienceKey);
    },

    decodeCursor(collectionId, cursor) {
      if (key === undefined) return { ok: false, reason: 'the change feed is starting (its cursor key is not loaded yet)' };
      return decode(key, collectionId, cursor);
    },

    async ready() {
      await loadKey();
    },
  };
}

function invalidCursor(reason: string): HubError {
  return hubError('INVALID_CURSOR', `The cursor is not one this hub issued for this collection: ${reason}`);
}
