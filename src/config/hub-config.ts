import type { CandidateThresholds } from '../domain/analysis/clustering';
import type { IndicatorKind } from '../domain/indicators';
import { createHash } from 'node:crypto';
import type { ApiRoot, Collection, Organization, TrustGroup, User } from '../domain/tenancy';

/**
 * The validated, frozen hub configuration, expressed in domain types. Every entity carries
 * managedBy 'config'. Produced only by validateHubConfig/loadHubConfig.
 */
export interface HubConfig {
  readonly hub: HubInfo;
  readonly apiRoots: readonly ApiRoot[];
  readonly organizations: readonly Organization[];
  readonly users: readonly ConfigUser[];
  readonly trustGroups: readonly TrustGroup[];
  readonly collections: readonly Collection[];
}

/** Discovery information (TAXII 2.1 discovery resource). */
export interface HubInfo {
  readonly title: string;
  readonly description: string | null;
  readonly contact: string | null;
  readonly defaultApiRootId: string | null;
  /** Days a submitted indicator stays valid without a valid_until, per kind (the defaults with the config's overrides). */
  readonly indicatorValidityDays?: Readonly<Record<IndicatorKind, number>>;
  /** The operator's warning-list files and folders (hub.warning_lists), absolute; the built-in lists always apply. */
  readonly warningListPaths?: readonly string[];
  /** hub.analysis.campaign_candidates: the thresholds given (the others keep their defaults). */
  readonly campaignCandidates?: Partial<CandidateThresholds>;
}

/** Where a config user's password comes from. 'none' leaves the stored password alone. */
export type PasswordSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'hash'; readonly hash: string }
  | { readonly kind: 'env'; readonly variable: string };

export interface ConfigUser extends User {
  readonly password: PasswordSource;
}

/** One thing wrong with a configuration. `path` is like `trust_groups[1].tree.acme-hq[0]`. */
export interface ConfigProblem {
  readonly path: string;
  readonly message: string;
  /** The file the problem is in, when the configuration was loaded from files. */
  readonly source?: string;
  /** 1-based line in `source`, when known. */
  readonly line?: number;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: HubConfig }
  | { readonly ok: false; readonly errors: readonly ConfigProblem[] };

/** Used when the configuration has no `hub` section. */
export const DEFAULT_HUB_TITLE = 'taxii-hub';

/** `file.yaml:12: users[0].roles[1]: must be one of ...` — the way compilers print problems. */
export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.source ? `${problem.source}${problem.line ? `:${problem.line}` : ''}: ` : '';
  const path = problem.path ? `${problem.path}: ` : '';
  return `${where}${path}${problem.message}`;
}

/** "8 organizations, 9 users, 3 trust groups, 4 collections, 1 API root". */
export function describeHubConfig(config: HubConfig): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    count(config.organizations.length, 'organization', 'organizations'),
    count(config.users.length, 'user', 'users'),
    count(config.trustGroups.length, 'trust group', 'trust groups'),
    count(config.collections.length, 'collection', 'collections'),
    count(config.apiRoots.length, 'API root', 'API roots'),
  ].join(', ');
}

// A fixed namespace so that a username always maps to the same user id (reconciling stays stable).
const USER_ID_NAMESPACE = '6f1d4c0e-8a53-4b0f-9c1e-3d7a2b5e9f40';

/** The id of a user declared in config: a name-based (version 5) UUID of the username. */
export function configUserId(username: string): string {
  const namespace = Buffer.from(USER_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const digest = createHash('sha1').update(namespace).update(username, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
