import type { IndicatorKind } from '../indicators';
import { formatIpv4, ipv4Network, parseIpv4 } from '../indicators/ipv4-address';
import { formatIpv6, ipv6Network, parseIpv6 } from '../indicators/ipv6-address';
import type { TlpLevel } from '../tenancy';
import { analysisKeysOf, hostOfKey, keyType } from './analysis-keys';

/**
 * The pivot's graph (issue 15 §1): nodes (indicators, campaigns, the value asked about) and edges
 * saying why two nodes relate. Which reason two related indicators give is worked out here from
 * their values alone, so the service (which finds candidates through the key index) and any
 * reference computation agree on what an edge is.
 */

export type EdgeReason =
  | 'same-value'
  | 'same-address'
  | 'same-host'
  | 'host-in-url'
  | 'email-domain'
  | 'subdomain'
  | 'address-in-cidr'
  | 'indicates'
  | 'same-campaign';

export type PivotNodeType = 'indicator' | 'campaign' | 'value';
export type PivotState = 'active' | 'revoked' | 'benign' | 'expired';

export interface KindValue {
  readonly kind: IndicatorKind;
  readonly value: string;
}

export interface PivotNode {
  /** `<collection id>/<stix id>`, or `value` for the value asked about. */
  readonly ref: string;
  readonly type: PivotNodeType;
  readonly id?: string;
  readonly collection?: string;
  /** Indicators and the value: every kind and normalised value (an indicator may OR several). */
  readonly values: readonly KindValue[];
  readonly name?: string;
  readonly tlp?: TlpLevel;
  readonly state?: PivotState;
  readonly firstSeen?: string;
  readonly lastSeen?: string;
  readonly provider?: string;
  readonly hop: number;
}

export interface PivotEdge {
  readonly from: string;
  readonly to: string;
  readonly reason: EdgeReason;
  /** What the two share, as a value (a host name, an address, a network, a campaign name…). */
  readonly via: string;
}

/** The analysis keys of a node's values, each with the kinds that gave it. */
export type KeyedValues = Map<string, { kinds: Set<IndicatorKind>; net?: string }>;

export function keyedValues(values: readonly KindValue[]): KeyedValues {
  const keyed: KeyedValues = new Map();
  for (const { kind, value } of values) {
    for (const key of analysisKeysOf(kind, value)) {
      const found = keyed.get(key.key) ?? { kinds: new Set<IndicatorKind>(), ...(key.net !== undefined ? { net: key.net } : {}) };
      found.kinds.add(kind);
      keyed.set(key.key, found);
    }
  }
  return keyed;
}

/** The key a kind's own value gives (the one that makes two indicators of that kind the same). */
function ownKeyType(kind: IndicatorKind): string {
  switch (kind) {
    case 'email-sender-ip':
    case 'c2-ip':
      return 'ip|net';
    case 'c2-hostname':
      return 'host';
    case 'email-from':
      return 'email';
    case 'url':
      return 'url';
    case 'file-hash':
      return 'hash';
    case 'email-subject':
      return 'subject';
    case 'email-attachment-name':
      return 'attachment';
  }
}

/** The reason two values sharing `key` give, from the kinds that gave it on each side. */
export function sharedKeyReason(key: string, a: ReadonlySet<IndicatorKind>, b: ReadonlySet<IndicatorKind>): EdgeReason {
  const type = keyType(key);
  for (const kind of a) if (b.has(kind) && ownKeyType(kind).split('|').includes(type)) return 'same-value';
  const either = (kind: IndicatorKind) => a.has(kind) || b.has(kind);
  if (type === 'ip' || type === 'net') return either('url') ? 'host-in-url' : 'same-address';
  if (type === 'host') return either('email-from') ? 'email-domain' : either('url') ? 'host-in-url' : 'same-host';
  return 'same-value';
}

/** A key as the value it stands for (a digested key has no readable value: the key itself). */
export function viaOfKey(key: string): string {
  const host = hostOfKey(key);
  if (host !== undefined) return host;
  const colon = key.indexOf(':');
  return key.includes('#') ? key : key.slice(colon + 1);
}

interface Net {
  readonly v6: boolean;
  readonly bits: readonly number[];
  readonly prefix: number;
}

function parseNet(text: string): Net | undefined {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const v6 = address.includes(':');
  const width = v6 ? 128 : 32;
  const prefix = slash < 0 ? width : Number(text.slice(slash + 1));
  if (v6) {
    const groups = parseIpv6(address);
    return groups.ok ? { v6, bits: groups.value, prefix } : undefined;
  }
  const v4 = parseIpv4(address);
  return v4.ok ? { v6, bits: [v4.value], prefix } : undefined;
}

/** Whether network `wide` holds `narrow` (an address or a smaller network), strictly. */
export function netContains(wide: string, narrow: string): boolean {
  const w = parseNet(wide);
  const n = parseNet(narrow);
  if (w === undefined || n === undefined || w.v6 !== n.v6 || n.prefix <= w.prefix) return false;
  if (w.v6) return formatIpv6(ipv6Network(n.bits, w.prefix)) === formatIpv6(ipv6Network(w.bits, w.prefix));
  return formatIpv4(ipv4Network(n.bits[0] ?? 0, w.prefix)) === formatIpv4(ipv4Network(w.bits[0] ?? 0, w.prefix));
}

/** Whether host name `parent` is a strict parent domain of `child`. */
export function isParentHost(parent: string, child: string): boolean {
  return child.endsWith(`.${parent}`);
}

/**
 * Every reason two sets of values relate (indicators, or the value asked about): a shared key, a
 * host and its subdomain, an address inside a network. One reason per (reason, via).
 */
export function relationsBetween(a: readonly KindValue[], b: readonly KindValue[]): { reason: EdgeReason; via: string }[] {
  return relationsOfKeyed(keyedValues(a), keyedValues(b));
}

/** relationsBetween over values already keyed (a hop compares each node with many). */
export function relationsOfKeyed(ka: KeyedValues, kb: KeyedValues): { reason: EdgeReason; via: string }[] {
  const found = new Map<string, { reason: EdgeReason; via: string }>();
  const add = (reason: EdgeReason, via: string) => found.set(`${reason}\u0000${via}`, { reason, via });
  for (const [key, ea] of ka) {
    const eb = kb.get(key);
    if (eb !== undefined) add(sharedKeyReason(key, ea.kinds, eb.kinds), viaOfKey(key));
    const ha = hostOfKey(key);
    for (const [other, ob] of kb) {
      const hb = hostOfKey(other);
      if (ha !== undefined && hb !== undefined) {
        if (isParentHost(ha, hb)) add('subdomain', ha);
        else if (isParentHost(hb, ha)) add('subdomain', hb);
      }
      if (ea.net !== undefined && ob.net !== undefined) {
        if (netContains(ea.net, ob.net)) add('address-in-cidr', ea.net);
        else if (netContains(ob.net, ea.net)) add('address-in-cidr', ob.net);
      }
    }
  }
  return [...found.values()].sort((x, y) => (x.reason < y.reason ? -1 : x.reason > y.reason ? 1 : x.via < y.via ? -1 : x.via > y.via ? 1 : 0));
}

/**
 * A graph being assembled hop by hop: nodes once each (first hop wins), edges once each whatever the
 * direction they were found in, and at most `maxNodes` nodes.
 */
export class PivotGraph {
  readonly nodes = new Map<string, PivotNode>();
  private readonly edgeKeys = new Set<string>();
  readonly edges: PivotEdge[] = [];
  truncatedAtHop: number | undefined;

  /** `maxEdges`: a few hundred nodes sharing one popular value would otherwise make every pair an edge. */
  constructor(
    readonly maxNodes: number,
    readonly maxEdges = maxNodes * 10,
  ) {}

  /** Whether another edge fits. */
  get edgesFull(): boolean {
    return this.edges.length >= this.maxEdges;
  }

  /** Adds a node unless known; false when the cap stopped it (the hop is then marked truncated). */
  addNode(node: PivotNode): boolean {
    if (this.nodes.has(node.ref)) return true;
    if (this.nodes.size >= this.maxNodes) {
      this.truncatedAtHop ??= node.hop;
      return false;
    }
    this.nodes.set(node.ref, node);
    return true;
  }

  /** Adds an edge between two nodes of the graph, once; at the edge bound, marks `hop` truncated instead. */
  addEdge(edge: PivotEdge, hop: number): void {
    if (edge.from === edge.to || !this.nodes.has(edge.from) || !this.nodes.has(edge.to)) return;
    const [x, y] = edge.from < edge.to ? [edge.from, edge.to] : [edge.to, edge.from];
    const keyOf = (reason: EdgeReason) => `${x}\u0000${y}\u0000${reason}\u0000${edge.via}`;
    // A member that indicates the campaign says so; `same-campaign` is for the members that did not lead there.
    if (edge.reason === 'same-campaign' && this.edgeKeys.has(keyOf('indicates'))) return;
    if (edge.reason === 'indicates' && this.edgeKeys.delete(keyOf('same-campaign'))) {
      const at = this.edges.findIndex((e) => e.reason === 'same-campaign' && e.via === edge.via && ((e.from === x && e.to === y) || (e.from === y && e.to === x)));
      if (at >= 0) this.edges.splice(at, 1);
    }
    const key = keyOf(edge.reason);
    if (this.edgeKeys.has(key)) return;
    if (this.edgesFull) {
      this.truncatedAtHop ??= hop;
      return;
    }
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }
}
