import type { TlpLevel } from '../domain/tenancy';
import { isLooser } from '../domain/tlp';

export type RepublishDecision = { allowed: true } | { allowed: false; reason: 'not-republishable' | 'marking-loosened' };

/**
 * May an object marked `original` be republished (as a new object of the republisher) marked
 * `republished`? Never with a looser marking; AMBER+STRICT and RED information not at all, since
 * its recipients may not pass it on beyond their own organization.
 */
export function republishAllowed(original: TlpLevel, republished: TlpLevel): RepublishDecision {
  if (original === 'amber+strict' || original === 'red') return { allowed: false, reason: 'not-republishable' };
  if (isLooser(republished, original)) return { allowed: false, reason: 'marking-loosened' };
  return { allowed: true };
}
