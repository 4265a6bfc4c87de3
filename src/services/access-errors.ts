import type { Decision, DenialReason, RuleName } from '../access';
import { hubError, type HubError } from '../domain/errors';

/**
 * The one mapping from an access denial to the error a client receives, for every protocol:
 * no principal → 401; a collection or object the principal may not know of → 404, worded exactly
 * like a thing that does not exist; known but not allowed for this action → 403.
 */
export function accessDenied(reason: DenialReason, what: string): HubError {
  switch (reason) {
    case 'anonymous':
      return hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
    case 'not-visible':
      return notFoundError(what);
    case 'not-permitted':
      return hubError('FORBIDDEN', `You may not do this with ${what}`);
  }
}

/** The 404 for `what`, shared by "does not exist" and "not visible to you" so the two cannot be told apart. */
export function notFoundError(what: string): HubError {
  return hubError('NOT_FOUND', `There is no ${what}`);
}

/** Returns the rule that allowed the action, or throws the catalogued error for the denial. */
export function enforceDecision(decision: Decision, what: string): RuleName {
  if (decision.allowed) return decision.rule;
  throw accessDenied(decision.reason, what);
}
