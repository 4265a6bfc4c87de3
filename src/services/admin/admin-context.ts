import type { AdminDecision } from '../../access/admin-permissions';
import { hubError } from '../../domain/errors';
import type { FieldProblem } from '../../domain/errors';
import { actorName, type Principal } from '../../domain/principal';
import type { ManagedBy } from '../../domain/tenancy';
import type { TenancyRepositories, TenancyStore } from '../../storage/tenancy-store';
import type { ConfigDeclarations } from '../../config/config-declarations';
import type { PolicyService } from '../policy-service';
import type { SubscriptionAdminDeps } from './subscription-admin';

/** Told when a credential changes, so that cached verifications of it are dropped at once. */
export interface CredentialEvents {
  userCredentialsChanged(userId: string): void;
  apiKeyChanged(keyId: string): void;
}

export interface AdminDeps {
  readonly store: TenancyStore;
  readonly credentialEvents?: CredentialEvents;
  readonly now?: () => Date;
  /**
   * The access policy the recipients preview decides with. The admin service invalidates it after
   * each structural change; without one it keeps its own over `store`.
   */
  readonly policy?: PolicyService;
  /** Told after every committed change to organizations, API roots, collections or trust groups. */
  readonly onStructureChanged?: () => void;
  /** Subscriptions and their delivery status (the delivery engine's); none listed without. */
  readonly subscriptions?: SubscriptionAdminDeps;
  /** Where config-managed entities are declared, named by the 409 that refuses to change them. */
  readonly configDeclarations?: ConfigDeclarations;
}

/**
 * Enforces a decision: `not-visible` becomes 404 (the thing does not exist for this principal),
 * `not-permitted` becomes 403.
 */
export function enforce(decision: AdminDecision, what: string): void {
  if (decision.allowed) return;
  if (decision.reason === 'not-visible') throw hubError('NOT_FOUND', `${what} not found`);
  throw forbidden(decision, what);
}

/** For creating things: any denial is a plain 403 (there is nothing yet whose existence could leak). */
export function enforceCreate(decision: AdminDecision, what: string): void {
  if (!decision.allowed) throw forbidden(decision, what);
}

/** The 403, saying what the principal would need (see admin-permissions.ts). */
function forbidden(decision: AdminDecision & { allowed: false }, what: string) {
  return hubError('FORBIDDEN', decision.needs === undefined ? `you may not manage ${what}` : `you may not manage ${what}: that needs ${decision.needs}`);
}

export function notFound(what: string): never {
  throw hubError('NOT_FOUND', `${what} not found`);
}

export function invalid(problems: FieldProblem[]): void {
  if (problems.length > 0) {
    throw hubError('VALIDATION_FAILED', { description: problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems });
  }
}

/**
 * 409 for a change to a config-managed entity, saying where it is declared (`where`: file and line,
 * when known) and how to change it: in the YAML, applied when the hub starts.
 */
export function refuseConfigManaged(entity: { managedBy: ManagedBy }, what: string, where?: string): void {
  if (entity.managedBy !== 'config') return;
  const declared = where === undefined ? 'in the YAML the hub was started with (HUB_CONFIG or --config; the demo\'s is collections/)' : `in ${where}`;
  throw hubError('CONFLICT', `${what} is managed by the declarative configuration, not by the admin API or the CLI: it is declared ${declared}. Edit it there and restart the hub, which applies the file`);
}

/**
 * Runs one admin change as one transaction and writes its audit record in the same transaction:
 * either both are stored or neither.
 */
export async function auditedChange<T>(
  store: TenancyStore,
  who: Principal,
  change: { action: string; entityType: string; entityId: string },
  fn: (tx: TenancyRepositories) => Promise<{ before: unknown; after: unknown; result: T }>,
): Promise<T> {
  return store.transaction(async (tx) => {
    const { before, after, result } = await fn(tx);
    await tx.audit.append({ actor: actorName(who), action: change.action, entityType: change.entityType, entityId: change.entityId, before: before ?? null, after: after ?? null });
    return result;
  });
}
