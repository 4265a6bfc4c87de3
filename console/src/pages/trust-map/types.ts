/** The admin and hub API shapes the trust map reads (see openapi.yaml). */

export interface OrganizationJson {
  readonly id: string;
  readonly name: string;
  readonly parent: string | null;
}

export interface TrustGroupJson {
  readonly id: string;
  readonly name: string;
  readonly topology: 'horizontal' | 'vertical' | 'hybrid';
  readonly members: readonly string[];
  readonly tree?: Readonly<Record<string, readonly string[]>>;
  readonly peer_links?: readonly { readonly between: readonly [string, string]; readonly pass_down: boolean }[];
  readonly managed_by?: string;
}

export interface CollectionJson {
  readonly id: string;
  readonly alias?: string | null;
  readonly title: string;
  readonly default_marking: string;
  /** Admin API (operators): the owner. */
  readonly owner?: { readonly organization?: string; readonly trust_group?: string };
  /** Hub API (everyone): what the caller may do. */
  readonly can_read?: boolean;
  readonly can_write?: boolean;
}

export interface RecipientJson {
  readonly organization: string;
  readonly rule: string;
}

export interface RecipientsPreviewJson {
  readonly collection: string;
  readonly provider: string;
  readonly marking: string;
  readonly recipients: readonly RecipientJson[];
}

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
