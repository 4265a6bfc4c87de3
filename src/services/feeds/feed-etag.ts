import { createHash } from 'node:crypto';
import type { ReadScope } from '../../access/read-scope';
import { canonicalJson } from '../../domain/canonical-json';

/**
 * Names of a rendered feed. A feed is the same for every reader of the same audience (ReadScope), so
 * its cache key and ETag name the audience, never the reader; the ETag adds what the content is a
 * function of besides: the collection position and the warning lists' version.
 */

export interface FeedKeyParts {
  readonly collectionId: string;
  readonly scope: ReadScope;
  /** The format and its parameters (feedParameters). */
  readonly parameters: Readonly<Record<string, unknown>>;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** The cache key of a feed: collection, audience, format and parameters. */
export function feedKey(parts: FeedKeyParts): string {
  return digest(canonicalJson({ c: parts.collectionId, a: parts.scope, p: parts.parameters }));
}

/**
 * The ETag of the feed under `key` at a position and a warning-list version. Weak: the same feed is
 * served plain and gzip-encoded, which are not byte-identical (RFC 9110 §8.8.1).
 */
export function feedEtag(key: string, position: number, listsVersion: string): string {
  return `W/"${digest(`${key}\u0000${position}\u0000${listsVersion}`).slice(0, 32)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, `*` matches any). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === wanted);
}
