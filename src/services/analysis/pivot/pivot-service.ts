import { collectionAccess, type CollectionPolicy, type CompiledPolicy } from '../../../access';
import { hostOfKey, parentHostKeys, subdomainKeyPrefix } from '../../../domain/analysis/analysis-keys';
import { keyedValues, PivotGraph, relationsOfKeyed, type KeyedValues, type KindValue, type PivotEdge, type PivotNode, type PivotState } from '../../../domain/analysis/pivot-graph';
import { pivotBundle } from '../../../domain/analysis/pivot-grouping';
import { pivotStartOf } from '../../../domain/analysis/pivot-start';
import { randomUUID } from 'node:crypto';
import type { StixValidator } from '../../../validation/stix-validator';
import { hubError, isHubError } from '../../../domain/errors';

import { isIndicatorKind } from '../../../domain/indicators/indicator-kinds';
import type { Principal } from '../../../domain/principal';
import { nowMicros } from '../../../domain/timestamps';
import type { CampaignLink, KeyHit, ObjectRef, PivotHead, PivotStore, ScopedCollection } from '../../../storage/pivot-store';
import type { CollectionService } from '../../collection-service';
import { collectionNamed } from '../../collection-names';
import type { PolicyService } from '../../policy-service';
import type { IndicatorFigures } from '../../sightings/sighting-figures';
import type { SightingService } from '../../sightings/sighting-service';
import { MAX_PIVOT_DEPTH, type PivotQuery } from './pivot-query';

/**
 * The pivot (issue 15 §1, GET /api/pivot, taxii-hub pivot): everything the caller may read that
 * relates to a value or an object, hop by hop. A hop takes the whole frontier at once: one query per
 * relation (same analysis key, subdomain, network overlap, campaigns, campaign members), each
 * filtered by the caller's scope per collection inside the query; which edges two found objects
 * make is then worked out from their values (domain/analysis/pivot-graph.ts).
 */

export interface PivotNodeView extends PivotNode {
  readonly sightings?: IndicatorFigures;
}

export interface PivotCollection {
  readonly id: string;
  readonly alias?: string;
  readonly title: string;
}

export interface PivotAnswer {
  readonly depth: number;
  /** The refs of the nodes the pivot started from (hop 0). */
  readonly start: readonly string[];
  readonly nodes: readonly PivotNodeView[];
  readonly edges: readonly PivotEdge[];
  /** The collections searched. */
  readonly collections: readonly PivotCollection[];
  /** The graph reached its bound: the hop at which nodes were left out. */
  readonly truncatedAtHop?: number;
  /** format=stix: the STIX bundle holding the grouping and the objects. */
  readonly bundle?: Record<string, unknown>;
}

export interface PivotService {
  pivot(who: Principal | undefined, query: PivotQuery): Promise<PivotAnswer>;
}

export interface PivotServiceDeps {
  readonly policy: Pick<PolicyService, 'current'>;
  readonly collections: Pick<CollectionService, 'resolveForAction'>;
  readonly store: PivotStore;
  /** Sighting figures per indicator, as the caller may see them (absent: nodes carry none). */
  readonly sightings?: Pick<SightingService, 'figuresOf'>;
  /** Brings analysis keys up to date with every committed write (the indexer's catchUp). */
  readonly catchUp: () => Promise<void>;
  /** The bound on nodes (default 500). */
  readonly maxNodes?: number;
  /** format=stix: the hub's identity (the grouping's creator) and the validator the grouping must pass. */
  readonly hubIdentity?: () => Promise<string>;
  readonly validateStix?: StixValidator;
  readonly now?: () => number;
}

export const DEFAULT_PIVOT_MAX_NODES = 500;

interface Searched {
  readonly cp: CollectionPolicy;
  readonly scoped: ScopedCollection;
}

const refOf = (r: ObjectRef) => `${r.collectionId}/${r.id}`;

export function createPivotService(deps: PivotServiceDeps): PivotService {
  const maxNodes = deps.maxNodes ?? DEFAULT_PIVOT_MAX_NODES;
  // Rows per relation query: several keys of one object each make a row.
  const rowLimit = maxNodes * 4;
  const now = deps.now ?? Date.now;

  /** The collections named (ids or aliases), or every one the caller may read; with the caller's scope in each. */
  async function searched(policy: CompiledPolicy, who: Principal, names: readonly string[] | undefined): Promise<Searched[]> {
    const all = [...policy.collections.values()].sort((a, b) => (a.collection.id < b.collection.id ? -1 : 1));
    let chosen: CollectionPolicy[];
    if (names === undefined) chosen = all.filter((cp) => collectionAccess(policy, who, cp.collection.id)?.canRead === true);
    else {
      const picked = new Map<string, CollectionPolicy>();
      names.forEach((name, i) => {
        // Worded alike for a collection that does not exist and one the caller cannot see.
        const cp = collectionNamed(policy, name, { who }, `collections[${i}]`);
        picked.set(cp.collection.id, cp);
      });
      chosen = [...picked.values()];
    }
    const out: Searched[] = [];
    for (const cp of chosen) {
      try {
        // The read gate of TAXII (403 without the consumer role; an operator's read audited) and the caller's scope now.
        const { scope } = await deps.collections.resolveForAction(who, cp.collection.apiRootId, cp.collection.id, 'read');
        out.push({ cp, scoped: { collectionId: cp.collection.id, scope } });
      } catch (error) {
        // Without a named list, a collection the caller stopped reading since the policy was read is passed over.
        if (names !== undefined || !isHubError(error) || (error.code !== 'NOT_FOUND' && error.code !== 'FORBIDDEN')) throw error;
      }
    }
    return out;
  }

  return {
    async pivot(who, query) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
      const depth = query.depth ?? 1;
      if (!Number.isInteger(depth) || depth < 1 || depth > MAX_PIVOT_DEPTH) {
        throw hubError('BAD_REQUEST', { description: `depth: must be a whole number from 1 to ${MAX_PIVOT_DEPTH}`, problems: [{ path: 'depth', message: `must be from 1 to ${MAX_PIVOT_DEPTH}` }] });
      }
      const start = query.value !== undefined ? pivotStartOf(query.value, query.kind) : undefined;
      if (start !== undefined && !start.ok) throw hubError('BAD_REQUEST', { description: `value: ${start.message}`, problems: [{ path: 'value', message: start.message }] });
      const policy = await deps.policy.current();
      const collections = await searched(policy, who, query.collections);
      const scopes = collections.map((c) => c.scoped);
      const byId = new Map(collections.map((c) => [c.cp.collection.id, c]));
      await deps.catchUp();
      const at = nowMicros(now);
      const graph = new PivotGraph(maxNodes);
      const keyed = new Map<string, KeyedValues>();
      const keyedOf = (node: PivotNode): KeyedValues => {
        let found = keyed.get(node.ref);
        if (found === undefined) keyed.set(node.ref, (found = keyedValues(node.values)));
        return found;
      };
      const whole = query.format === 'stix';
      const objects = new Map<string, PivotHead>();

      const nodeOf = (head: PivotHead, hop: number): PivotNode => {
        const c = byId.get(head.collectionId);
        const scope = c?.scoped.scope;
        // The provider where the caller may know it: attributed collections, operators, and its own objects.
        const shown = c?.cp.attribution === 'attributed' || scope?.kind === 'all' || (scope?.kind === 'filtered' && scope.self === head.providerOrgId);
        const state: PivotState = head.lifecycle ?? (head.validUntil !== undefined && head.validUntil <= at ? 'expired' : 'active');
        const values = head.values.filter((v): v is KindValue => isIndicatorKind(v.kind));
        if (head.json !== undefined) objects.set(refOf(head), head);
        return {
          ref: refOf(head),
          type: head.type === 'campaign' ? 'campaign' : 'indicator',
          id: head.id,
          collection: head.collectionId,
          values,
          ...(head.type === 'campaign' && head.name !== undefined ? { name: head.name } : {}),
          tlp: head.tlp,
          ...(head.type === 'indicator' ? { state } : {}),
          ...(head.created !== undefined ? { firstSeen: head.created } : {}),
          ...(head.modified !== undefined ? { lastSeen: head.modified } : {}),
          ...(shown ? { provider: head.providerOrgId } : {}),
          hop,
        };
      };

      /**
       * Adds the heads of the refs not in the graph yet (and readable) at `hop`. `found`: the refs came
       * from a scoped query (key hits, campaign links), so each is a readable indicator or campaign head
       * and, the graph being full, the first would be refused: no look-up (a popular value's depth-2 hop
       * read up to 2,000 heads to add none).
       */
      const addHeads = async (refs: readonly ObjectRef[], hop: number, found = true): Promise<void> => {
        const unknown = new Map<string, ObjectRef>();
        for (const r of refs) if (!graph.nodes.has(refOf(r))) unknown.set(refOf(r), r);
        if (unknown.size === 0) return;
        const room = maxNodes - graph.nodes.size;
        if (found && room <= 0) {
          graph.truncatedAtHop ??= hop;
          return;
        }
        // Found refs are heads the graph adds until it is full: no more are read than it has room for.
        let wanted = [...unknown.values()];
        if (found && wanted.length > room) {
          wanted = wanted.slice(0, room);
          graph.truncatedAtHop ??= hop;
        }
        for (const head of await deps.store.heads(scopes, wanted, whole)) {
          if (head.type === 'indicator' || head.type === 'campaign') graph.addNode(nodeOf(head, hop));
        }
      };

      /** Campaign nodes the indicators indicate, then the campaigns' members, all at `hop`. */
      const campaignStep = async (links: readonly CampaignLink[], campaigns: readonly ObjectRef[], hop: number): Promise<void> => {
        if (links.length >= rowLimit) graph.truncatedAtHop ??= hop;
        const reached = new Map<string, ObjectRef>(campaigns.map((c) => [refOf(c), c]));
        for (const l of links) reached.set(`${l.collectionId}/${l.campaignId}`, { collectionId: l.collectionId, id: l.campaignId });
        await addHeads([...reached.values()], hop);
        const nameOf = (ref: string) => graph.nodes.get(ref)?.name ?? '';
        for (const l of links) {
          const campaign = `${l.collectionId}/${l.campaignId}`;
          graph.addEdge({ from: `${l.collectionId}/${l.indicatorId}`, to: campaign, reason: 'indicates', via: nameOf(campaign) }, hop);
        }
        const known = [...reached.values()].filter((c) => graph.nodes.has(refOf(c)));
        if (known.length === 0) return;
        // The members a full graph could not add are not read: as many as it has room for, beside those that led here.
        const room = maxNodes - graph.nodes.size;
        const limit = Math.min(rowLimit, room + links.length);
        if (limit <= 0) {
          graph.truncatedAtHop ??= hop;
          return;
        }
        const members = await deps.store.membersOf(scopes, known, limit);
        if (members.length >= limit) graph.truncatedAtHop ??= hop;
        await addHeads(members.map((m) => ({ collectionId: m.collectionId, id: m.indicatorId })), hop);
        // The indicators that led here are members too: their edge is `indicates`, not same-campaign.
        const led = new Set(links.map((l) => `${l.collectionId}/${l.campaignId}/${l.indicatorId}`));
        for (const m of members) {
          if (led.has(`${m.collectionId}/${m.campaignId}/${m.indicatorId}`)) continue;
          const campaign = `${m.collectionId}/${m.campaignId}`;
          graph.addEdge({ from: campaign, to: `${m.collectionId}/${m.indicatorId}`, reason: 'same-campaign', via: nameOf(campaign) }, hop);
        }
      };

      // Hop 0: the value, or the objects with the id (an indicator; a campaign and its members; what a sighting or opinion is about).
      if (start?.ok === true) {
        graph.addNode({ ref: 'value', type: 'value', values: start.readings, hop: 0 });
      } else if (query.object !== undefined) {
        const heads = await deps.store.headsWithId(scopes, query.object, whole);
        // Worded as for an id that does not exist: the caller learns nothing of objects it cannot read.
        if (heads.length === 0) throw hubError('NOT_FOUND', { description: `object: there is no object ${query.object}`, problems: [{ path: 'object', message: 'no such object' }] });
        const about: ObjectRef[] = [];
        const campaigns: ObjectRef[] = [];
        for (const head of heads) {
          if (head.type === 'indicator') graph.addNode(nodeOf(head, 0));
          else if (head.type === 'campaign') campaigns.push(head);
          else for (const id of head.refs) if (id.startsWith('indicator--')) about.push({ collectionId: head.collectionId, id });
        }
        await addHeads(about, 0, false);
        if (campaigns.length > 0) await campaignStep([], campaigns, 0);
      }
      const startRefs = [...graph.nodes.keys()];

      let frontier = [...graph.nodes.values()].filter((n) => n.type !== 'campaign');
      for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
        // What each frontier key, parent key, subdomain prefix and network leads back to.
        const owners = new Map<string, PivotNode[]>();
        const own = (origin: string, node: PivotNode) => owners.set(origin, [...(owners.get(origin) ?? []), node]);
        const keys = new Set<string>();
        const prefixes = new Set<string>();
        const nets = new Set<string>();
        for (const node of frontier) {
          for (const [key, { net }] of keyedOf(node)) {
            keys.add(key);
            own(`k ${key}`, node);
            const host = hostOfKey(key);
            if (host !== undefined) {
              for (const parent of parentHostKeys(host)) {
                keys.add(parent);
                own(`k ${parent}`, node);
              }
              prefixes.add(subdomainKeyPrefix(host));
              own(`s ${subdomainKeyPrefix(host)}`, node);
            }
            if (net !== undefined) {
              nets.add(net);
              own(`n ${net}`, node);
            }
          }
        }
        const indicators = frontier.filter((n) => n.type === 'indicator' && n.id !== undefined && n.collection !== undefined).map((n) => ({ collectionId: n.collection as string, id: n.id as string }));
        // The hop's relations do not depend on each other: asked at once (PostgreSQL answers them on several connections).
        const [same, under, overlap, links] = await Promise.all([
          deps.store.sameKeys(scopes, [...keys], rowLimit),
          deps.store.subdomains(scopes, [...prefixes], rowLimit),
          deps.store.overlapping(scopes, [...nets], rowLimit),
          indicators.length > 0 ? deps.store.campaignsOf(scopes, indicators, rowLimit) : Promise.resolve([]),
        ]);
        const found: [string, KeyHit[]][] = [['k', same], ['s', under], ['n', overlap]];
        if (found.some(([, hits]) => hits.length >= rowLimit)) graph.truncatedAtHop ??= hop;
        const before = new Set(graph.nodes.keys());
        await addHeads(found.flatMap(([, hits]) => hits), hop);
        const paired = new Set<string>();
        for (const [relation, hits] of found) {
          for (const hit of hits) {
            const target = graph.nodes.get(refOf(hit));
            if (target === undefined) continue;
            for (const from of owners.get(`${relation} ${hit.origin}`) ?? []) {
              const pair = `${from.ref}\u0000${target.ref}`;
              if (from.ref === target.ref || paired.has(pair)) continue;
              paired.add(pair);
              // Every pair is weighed once; past the edge bound the rest of the hop is left out.
              if (graph.edgesFull) {
                graph.truncatedAtHop ??= hop;
                break;
              }
              for (const r of relationsOfKeyed(keyedOf(from), keyedOf(target))) graph.addEdge({ from: from.ref, to: target.ref, reason: r.reason, via: r.via }, hop);
            }
          }
        }
        await campaignStep(links, [], hop);
        frontier = [...graph.nodes.values()].filter((n) => !before.has(n.ref) && n.type === 'indicator');
      }

      const nodes = [...graph.nodes.values()];
      const figures = await figuresOf(who, nodes);
      return {
        depth,
        start: startRefs,
        nodes: nodes.map((n) => {
          const f = figures.get(n.ref);
          return f !== undefined ? { ...n, sightings: f } : n;
        }),
        edges: graph.edges,
        collections: collections.map(({ cp }) => ({ id: cp.collection.id, title: cp.collection.title, ...(cp.collection.alias !== null ? { alias: cp.collection.alias } : {}) })),
        ...(graph.truncatedAtHop !== undefined ? { truncatedAtHop: graph.truncatedAtHop } : {}),
        ...(whole ? { bundle: await bundleOf(who, query, [...graph.nodes.keys()].flatMap((ref) => objects.get(ref) ?? [])) } : {}),
      };
    },
  };

  /** The pivot as a STIX bundle with a grouping, checked by the hub's validator. */
  async function bundleOf(who: Principal, query: PivotQuery, heads: readonly PivotHead[]): Promise<Record<string, unknown>> {
    if (deps.hubIdentity === undefined || deps.validateStix === undefined) throw hubError('NOT_FOUND', 'This hub gives no STIX form of a pivot');
    const bundle = pivotBundle({
      id: `grouping--${randomUUID()}`,
      bundleId: `bundle--${randomUUID()}`,
      hubIdentityId: await deps.hubIdentity(),
      created: new Date(now()).toISOString(),
      about: query.value ?? query.object ?? '',
      reader: who.organizationId,
      members: heads.map((h) => ({ object: JSON.parse(h.json as string) as Record<string, unknown>, tlp: h.tlp, recipients: h.recipients })),
    });
    const [grouping] = (bundle.objects as unknown[] | undefined) ?? [];
    if (grouping !== undefined) {
      const checked = deps.validateStix(grouping);
      if (!checked.ok) throw new Error(`the pivot's grouping is not valid STIX: ${JSON.stringify(checked.problems)}`);
    }
    return bundle;
  }

  /** Each indicator node's sighting figures, one request per collection (figures are keyed by indicator id). */
  async function figuresOf(who: Principal, nodes: readonly PivotNode[]): Promise<Map<string, IndicatorFigures>> {
    const answer = new Map<string, IndicatorFigures>();
    if (deps.sightings === undefined) return answer;
    const byCollection = new Map<string, PivotNode[]>();
    for (const n of nodes) if (n.type === 'indicator' && n.collection !== undefined) byCollection.set(n.collection, [...(byCollection.get(n.collection) ?? []), n]);
    const { sightings } = deps;
    await Promise.all(
      [...byCollection].map(async ([collectionId, inCollection]) => {
        const targets = inCollection.map((n) => ({ id: n.id as string, collectionId, ...(n.provider !== undefined ? { provider: n.provider } : {}) }));
        const figures = await sightings.figuresOf(who, targets);
        for (const n of inCollection) {
          const f = figures.get(n.id as string);
          if (f !== undefined) answer.set(n.ref, f);
        }
      }),
    );
    return answer;
  }
}

