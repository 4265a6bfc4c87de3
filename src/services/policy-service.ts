import { compilePolicy, type CompiledPolicy } from '../access';
import type { FieldProblem } from '../domain/errors';
import type { TenancyStore } from '../storage/tenancy-store';

/**
 * The compiled access policy of the running hub, kept in step with the store.
 *
 * Every change to organizations, trust groups or collections bumps the stored policy revision
 * (triggers, migration 002), whoever made it: this process's admin API, another hub process on the
 * same database, the config reconciler, a manual edit. current() compares the stored revision with
 * the one its policy was built from — at most once per `recheckMs`, so a busy poller does not cost a
 * query per request — and recompiles when they differ. invalidate() forces the comparison on the
 * next call: the admin service calls it after each structural change, so this process sees its own
 * changes at once; other processes see them within recheckMs.
 */

export const DEFAULT_POLICY_RECHECK_MS = 1000;

/** Where the policy's inputs come from: the tenancy store. */
export type PolicySource = Pick<TenancyStore, 'policyRevision' | 'policySnapshot'>;

export interface PolicyLogger {
  error(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface PolicyServiceDeps {
  readonly store: PolicySource;
  readonly logger?: PolicyLogger;
  /** How long a checked policy is served without asking the store again; 1000 ms by default. */
  readonly recheckMs?: number;
  /** A monotonic clock in milliseconds (tests inject one). */
  readonly now?: () => number;
}

/**
 * What the hub serves against what is stored:
 * - 'unchecked': nothing compiled yet;
 * - 'current': the policy of revision `revision` (the stored one, as of the last check);
 * - 'invalid': the stored state (`storedRevision`) does not compile; the last good policy
 *   (`servedRevision`, if any) is still served.
 */
export type PolicyStatus =
  | { readonly state: 'unchecked' }
  | { readonly state: 'current'; readonly revision: number }
  | { readonly state: 'invalid'; readonly storedRevision: number; readonly servedRevision: number | undefined; readonly problems: readonly FieldProblem[] };

export interface PolicyService {
  /** The policy to decide with: the stored state's, or the last good one when that does not compile. */
  current(): Promise<CompiledPolicy>;
  /** The next current() checks the stored revision, however recently it last did. */
  invalidate(): void;
  status(): PolicyStatus;
}

/** Thrown by current() when the stored state does not compile and no earlier policy exists to fall back on. */
export class PolicyUnavailableError extends Error {
  constructor(readonly problems: readonly FieldProblem[]) {
    super(`the stored organizations, trust groups and collections do not form a valid access policy (${problems.length} ${problems.length === 1 ? 'problem' : 'problems'})`);
    this.name = 'PolicyUnavailableError';
  }
}

interface Compiled {
  readonly revision: number;
  readonly policy: CompiledPolicy;
}

export function createPolicyService(deps: PolicyServiceDeps): PolicyService {
  const recheckMs = deps.recheckMs ?? DEFAULT_POLICY_RECHECK_MS;
  const now = deps.now ?? (() => performance.now());
  let compiled: Compiled | undefined;
  let failure: { readonly revision: number; readonly problems: readonly FieldProblem[] } | undefined;
  // Bumped by invalidate(); a check counts as fresh only for the generation it started in.
  let generation = 0;
  let checked: { readonly generation: number; readonly at: number } | undefined;
  let inflight: { readonly generation: number; readonly promise: Promise<CompiledPolicy> } | undefined;

  function served(): CompiledPolicy {
    if (compiled) return compiled.policy;
    throw new PolicyUnavailableError(failure?.problems ?? []);
  }

  /** Keeps the newer of two policies: revisions rise in commit order, so a slower, older check never wins. */
  function adopt(next: Compiled): void {
    if (!compiled || next.revision >= compiled.revision) compiled = next;
  }

  async function check(startedGeneration: number): Promise<CompiledPolicy> {
    const startedAt = now();
    const revision = await deps.store.policyRevision();
    if (compiled?.revision !== revision && failure?.revision !== revision) {
      const snapshot = await deps.store.policySnapshot();
      const result = compilePolicy(snapshot);
      if (result.ok) {
        adopt({ revision: snapshot.revision, policy: result.policy });
        if (failure && failure.revision <= snapshot.revision) failure = undefined;
        deps.logger?.info({ policyRevision: snapshot.revision }, 'access policy compiled');
      } else {
        failure = { revision: snapshot.revision, problems: result.problems };
        deps.logger?.error(
          { policyRevision: snapshot.revision, servedRevision: compiled?.revision, problems: result.problems },
          compiled ? 'the stored access policy does not compile; still serving the last good one' : 'the stored access policy does not compile',
        );
      }
    }
    if (!checked || startedAt >= checked.at) checked = { generation: startedGeneration, at: startedAt };
    return served();
  }

  return {
    current(): Promise<CompiledPolicy> {
      if (compiled && checked?.generation === generation && now() - checked.at < recheckMs) return Promise.resolve(compiled.policy);
      // Callers arriving during a check share it, unless an invalidate() came after it started.
      if (inflight?.generation === generation) return inflight.promise;
      const mine = { generation, promise: check(generation) };
      inflight = mine;
      const clear = () => {
        if (inflight === mine) inflight = undefined;
      };
      mine.promise.then(clear, clear);
      return mine.promise;
    },
    invalidate(): void {
      generation += 1;
    },
    status(): PolicyStatus {
      if (failure) return { state: 'invalid', storedRevision: failure.revision, servedRevision: compiled?.revision, problems: failure.problems };
      return compiled ? { state: 'current', revision: compiled.revision } : { state: 'unchecked' };
    },
  };
}
