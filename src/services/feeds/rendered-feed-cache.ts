import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { FeedEntry } from '../../domain/feeds/feed-entry';

const gzipAsync = promisify(gzip);

/**
 * Rendered feeds kept in memory, shared by every reader of the same audience: an entry is the body of
 * one (collection, audience, format, parameters) at one collection position and warning-list
 * version, with its gzip form made on first demand and its entry set. Bounded by bytes (bodies,
 * gzip forms, and entry sets at an estimate per entry),
 * least recently used out first; a body larger than the whole bound is served but not kept.
 */

export interface RenderedFeed {
  /** The collection position the feed was rendered at. */
  readonly position: number;
  /** The warning lists' version the feed was rendered with. */
  readonly listsVersion: string;
  readonly etag: string;
  /** A change-feed cursor at `position` for the audience. */
  readonly cursor: string;
  readonly body: Buffer;
  /** How many indicators and entries went in (for the counters and tests). */
  readonly indicators: number;
  readonly entries: number;
  /**
   * The entries (in compareFeedEntries order), kept so that the next render can apply the changes since
   * `cursor` instead of reading every indicator again (incremental-render.ts); absent where not kept.
   */
  readonly kept?: readonly FeedEntry[];
}

/** What a kept entry set is counted as against the bound, per entry (objects, strings, map slots). */
const SET_BYTES_PER_ENTRY = 200;

/** The bytes a feed is counted as: its body and its kept entry set. */
function sizeOf(feed: RenderedFeed): number {
  return feed.body.length + (feed.kept !== undefined ? feed.entries * SET_BYTES_PER_ENTRY : 0);
}

interface Slot {
  readonly feed: RenderedFeed;
  gzip?: Buffer;
}

export interface RenderedFeedCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly maxBytes: number;
  readonly evictions: number;
}

export class RenderedFeedCache {
  private readonly slots = new Map<string, Slot>();
  private bytes = 0;
  private evictions = 0;

  constructor(private readonly maxBytes: number) {}

  /** The feed under `key` (marked as just used), if one is kept. */
  get(key: string): RenderedFeed | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.feed;
  }

  /** Keeps `feed` under `key`, replacing what was there. */
  set(key: string, feed: RenderedFeed): void {
    this.remove(key);
    if (sizeOf(feed) > this.maxBytes) return;
    this.slots.set(key, { feed });
    this.bytes += sizeOf(feed);
    this.evict();
  }

  /**
   * The gzip form of `feed`, made once per kept feed: compressed on the first request that accepts
   * it and kept beside the body (a feed not kept, or no longer the one under `key`, is compressed for
   * this answer only).
   */
  async gzip(key: string, feed: RenderedFeed): Promise<Buffer> {
    const kept = this.slots.get(key);
    if (kept !== undefined && kept.feed === feed && kept.gzip !== undefined) return kept.gzip;
    const compressed = await gzipAsync(feed.body); // off the event loop: a large feed takes a while
    const slot = this.slots.get(key);
    if (slot !== undefined && slot.feed === feed && slot.gzip === undefined) {
      slot.gzip = compressed;
      this.bytes += compressed.length;
      this.evict();
    }
    return compressed;
  }

  stats(): RenderedFeedCacheStats {
    return { entries: this.slots.size, bytes: this.bytes, maxBytes: this.maxBytes, evictions: this.evictions };
  }

  private remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.slots.delete(key);
    this.bytes -= sizeOf(slot.feed) + (slot.gzip?.length ?? 0);
  }

  private evict(): void {
    for (const key of this.slots.keys()) {
      if (this.bytes <= this.maxBytes) return;
      this.remove(key);
      this.evictions += 1;
    }
  }
}
