import type { Decision, DenialReason, Missing, RuleName } from '../access';
import { hubError, type HubError } from '../domain/errors';

/**
 * The one mapping from an access denial to the error a client receives, for every protocol:
 * no principal → 401; a collection or object the principal may not know of → 404, worded exactly
 * like a thing that does not exist; known but not allowed for this action → 403, saying what is
 * missing (a role of the principal, a write entitlement of its organization) when the decision says it.
 */
export function accessDenied(reason: DenialReason, what: string, missing?: Missing): HubError {
  switch (reason) {
    case 'anonymous':
      return hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
    case 'not-visible':
      return notFoundError(what);
    case 'not-permitted':
      return hubError('FORBIDDEN', missing === undefined ? `You may not do this with ${what}` : MISSING[missing](what));
  }
}

/** The 404 for `what`, shared by "does not exist" and "not visible to you" so the two cannot be told apart. */
export function notFoundError(what: string): HubError {
  return hubError('NOT_FOUND', `There is no ${what}`);
}

/** What each missing permission means, said to a principal who can see `what` (so nothing here is news to it). */
const MISSING: Record<Missing, (what: string) => string> = {
  'consumer-role': (what) => `Reading ${what} needs the consumer role, which your account does not have (your organization's administrator grants roles)`,
  'provider-role': (what) => `Writing to ${what} needs the provider role, which your account does not have (your organization's administrator grants roles)`,
  'write-entitlement': (what) => `Your organization reads ${what} as a member of its owner's trust groups, but is not one of its writers: only the owning organization writes to it`,
  'own-name': (what) => `A provider writes to ${what} in its own organization's name only; this object is provided by another organization`,
};

/** Returns the rule that allowed the action, or throws the catalogued error for the denial. */
export function enforceDecision(decision: Decision, what: string): RuleName {
  if (decision.allowed) return decision.rule;
  throw accessDenied(decision.reason, what, decision.missing);
}
