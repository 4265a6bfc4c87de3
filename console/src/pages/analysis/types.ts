/** The hub API's answers the Analysis page reads (docs/analysis.md; openapi.yaml, GET /api/pivot and /api/campaign-candidates). */

export interface PivotNode {
  readonly ref: string;
  readonly type: 'value' | 'indicator' | 'campaign';
  readonly id?: string;
  readonly collection?: string;
  readonly kind?: string;
  readonly value?: string;
  readonly name?: string;
  readonly tlp?: string;
  readonly state?: string;
  readonly provider?: string;
  readonly hop: number;
  readonly sightings?: { readonly count: number };
}

export interface PivotEdge {
  readonly from: string;
  readonly to: string;
  readonly reason: string;
  readonly via: string;
}

export interface PivotGraph {
  readonly depth: number;
  readonly nodes: readonly PivotNode[];
  readonly edges: readonly PivotEdge[];
  readonly collections: readonly { readonly id: string; readonly title: string; readonly alias?: string }[];
  readonly truncated: boolean;
  readonly truncated_at_hop?: number;
}

export interface CandidateMember {
  readonly collection: string;
  readonly id: string;
  readonly kind?: string;
  readonly value?: string;
  readonly tlp: string;
  readonly provider?: string;
  readonly first_added: string;
}

export interface Candidate {
  readonly id: string;
  readonly status: 'open' | 'rejected' | 'in-campaign';
  readonly campaign?: { readonly id: string; readonly name: string; readonly new_members: readonly string[] };
  readonly rejection?: { readonly rejected_at: string; readonly reason?: string };
  readonly sizes: { readonly indicators: number; readonly submissions: number; readonly providers: number; readonly collections: number };
  readonly first_added: string;
  readonly last_added: string;
  readonly shared: readonly { readonly kind: string; readonly value: string }[];
  readonly members: readonly CandidateMember[];
}

export interface CandidatePage {
  readonly candidates: readonly Candidate[];
  readonly next?: string;
}

/** A node's words: the value (or campaign name) it carries, else its id. */
export const nodeLabel = (n: PivotNode): string => n.value ?? n.name ?? n.id ?? n.ref;
