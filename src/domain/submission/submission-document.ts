import type { TlpLevel } from '../tenancy';
import type { WarningHit } from '../warning-lists';

/** A unified submission as schemas/submission.schema.json describes it (snake_case, as sent). */
export interface SubmissionDocument {
  readonly collection: string;
  readonly marking?: { readonly tlp: TlpLevel; readonly recipients?: readonly string[] };
  readonly confidence?: number;
  readonly valid_from: string;
  readonly valid_until?: string;
  readonly kill_chain_phase?: KillChainPhase;
  readonly description?: string;
  readonly campaign?: string;
  /** The default of every item's `intentional` (false when absent). */
  readonly intentional?: boolean;
  /** Each item is checked on its own: one that breaks the schema is rejected, the others go on. */
  readonly indicators: readonly unknown[];
}

export const KILL_CHAIN_NAME = 'lockheed-martin-cyber-kill-chain';

export type KillChainPhase =
  | 'reconnaissance'
  | 'weaponization'
  | 'delivery'
  | 'exploitation'
  | 'installation'
  | 'command-and-control'
  | 'actions-on-objectives';

/**
 * What became of one submitted indicator. A stored one carries `warnings` when its value is on a
 * warning list (it is stored all the same; sensor feeds leave it out unless it is intentional).
 */
export type ItemOutcome =
  | { readonly outcome: 'created' | 'updated'; readonly id: string; readonly version: string; readonly warnings?: readonly WarningHit[] }
  | { readonly outcome: 'unchanged'; readonly id: string; readonly version: string; readonly message?: string; readonly warnings?: readonly WarningHit[] }
  | { readonly outcome: 'rejected'; readonly problems: readonly { readonly path: string; readonly message: string }[] };
