import type { TlpLevel } from '../tenancy';

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

/** What became of one submitted indicator. */
export type ItemOutcome =
  | { readonly outcome: 'created' | 'updated'; readonly id: string; readonly version: string }
  | { readonly outcome: 'unchanged'; readonly id: string; readonly version: string; readonly message?: string }
  | { readonly outcome: 'rejected'; readonly problems: readonly { readonly path: string; readonly message: string }[] };
