import type { FieldProblem } from '../../api';

/** The hub API's answers the Share and Indicators pages read (openapi.yaml, tag hub). */

export const INDICATOR_KINDS = ['c2-ip', 'c2-hostname', 'url', 'file-hash', 'email-sender-ip', 'email-from', 'email-subject', 'email-attachment-name'] as const;
export type IndicatorKind = (typeof INDICATOR_KINDS)[number];
export const HASH_ALGORITHMS = ['MD5', 'SHA-1', 'SHA-256', 'SHA-512', 'SHA3-256', 'SHA3-512'] as const;
export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];
export const STATES = ['active', 'revoked', 'benign', 'expired'] as const;

/** GET /api/collections */
export interface VisibleCollection {
  readonly id: string;
  readonly api_root: string;
  readonly alias?: string;
  readonly title: string;
  readonly default_marking: Tlp;
  readonly can_read: boolean;
  readonly can_write: boolean;
}

export interface Warning {
  readonly list: string;
  readonly reason: string;
}

/** POST /api/submissions/check */
export interface CheckAnswer {
  readonly summary: { readonly accepted: number; readonly rejected: number };
  readonly indicators: readonly {
    readonly index: number;
    readonly value?: string;
    readonly outcome: 'accepted' | 'rejected';
    readonly normalised?: boolean;
    readonly duplicate_of?: number;
    readonly warnings?: readonly Warning[];
    readonly problems?: readonly FieldProblem[];
  }[];
}

/** POST /api/submissions */
export interface SubmitAnswer {
  readonly summary: { readonly created: number; readonly updated: number; readonly unchanged: number; readonly rejected: number };
  readonly indicators: readonly {
    readonly index: number;
    readonly value?: string;
    readonly outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
    readonly id?: string;
    readonly warnings?: readonly Warning[];
    readonly problems?: readonly FieldProblem[];
  }[];
}

export interface Figures {
  readonly count: number;
  readonly reports: number;
  readonly false_positives: number;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
}

/** One row of GET /api/collections/{collection}/indicators */
export interface ListedIndicator {
  readonly id: string;
  readonly provider?: string;
  readonly state: (typeof STATES)[number];
  readonly reason?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly tlp?: Tlp;
  readonly valid_until?: string;
  readonly date_added: string;
  readonly sightings?: Figures;
}

export interface Listing {
  readonly indicators: readonly ListedIndicator[];
  readonly more: boolean;
  readonly next_after?: string;
}

/** GET /api/collections/{collection}/indicators/{id} */
export interface History {
  readonly id: string;
  readonly provider?: string;
  readonly state: (typeof STATES)[number];
  readonly reason?: string;
  readonly version: string;
  readonly sightings?: Figures;
  readonly versions: readonly { readonly version: string; readonly date_added: string; readonly state: string; readonly reason?: string; readonly written_by?: string }[];
  readonly transitions: readonly { readonly at: string; readonly action: string; readonly reason?: string; readonly actor?: string }[];
}

/** GET /api/collections/{collection}/indicators/{id}/reports */
export interface Report {
  readonly id: string;
  readonly type: 'sighting' | 'false-positive';
  readonly date_added: string;
  readonly marking: string;
  readonly organization?: string;
  readonly count?: number;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly explanation?: string;
}
