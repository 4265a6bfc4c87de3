import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { collectionAccess, compilePolicy, objectVisibleUnderScope, readScope, type CompiledPolicy, type PolicyInput } from '../../../../src/access';
import { relationsBetween, type KindValue } from '../../../../src/domain/analysis/pivot-graph';
import { pivotStartOf } from '../../../../src/domain/analysis/pivot-start';
import { HUB_EXTENSION_ID } from '../../../../src/domain/hub-extension';
import { normaliseIndicator } from '../../../../src/domain/indicators';
import type { Principal } from '../../../../src/domain/principal';
import type { TlpLevel, TrustGroup } from '../../../../src/domain/tenancy';
import { createAnalysisIndexer } from '../../../../src/services/analysis/analysis-indexer';
import { createPivotService, type PivotAnswer } from '../../../../src/services/analysis/pivot/pivot-service';
import { createCollectionService } from '../../../../src/services/collection-service';
import type { NewObjectVersion } from '../../../../src/storage/object-store';
import type { Database } from '../../../../src/storage/sql/database';
import { SqlAnalysisKeyStore } from '../../../../src/storage/sql/sql-analysis-key-store';
import { SqlObjectStore } from '../../../../src/storage/sql/sql-object-store';
import { FEED_ENTRY_DERIVATION } from '../../../../src/services/feeds/feed-derivation';
import { SqlPivotStore } from '../../../../src/storage/sql/sql-pivot-store';
import { SqlSensorFeedStore } from '../../../../src/storage/sql/sql-sensor-feed-store';
import { createSqlTenancyStore } from '../../../../src/storage/sql/sql-tenancy-store';
import { collection, group, org, principal } from '../../../access/fixture-hub';
import { openTestDatabase, testEngines } from '../../../support/test-databases';

/**
 * The pivot's access property (issue 15 §1): for random trust topologies, markings and indicators
 * sharing values (with campaigns), every organization gets exactly the graph a reference pivot
 * computes in TypeScript over the objects it may read (objectVisibleUnderScope): no node or edge
 * more, none fewer, with the same hops, and the provider only where attribution lets it know.
 * Objects go in through the object store and get their keys from the real indexer.
 */

const ORGS = ['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7'];
const POOL: KindValue[] = [
  { kind: 'c2-ip', value: '203.0.113.9' },
  { kind: 'email-sender-ip', value: '203.0.113.9' },
  { kind: 'c2-ip', value: '203.0.113.0/24' },
  { kind: 'email-sender-ip', value: '198.51.100.7' },
  { kind: 'c2-hostname', value: 'kuro.example' },
  { kind: 'c2-hostname', value: 'cdn.kuro.example' },
  { kind: 'c2-hostname', value: 'a.cdn.kuro.example' },
  { kind: 'url', value: 'http://cdn.kuro.example/gate.php' },
  { kind: 'url', value: 'http://203.0.113.9/p' },
  { kind: 'email-from', value: 'billing@kuro.example' },
  { kind: 'email-subject', value: 'Invoice overdue' },
];
const TLPS: TlpLevel[] = ['clear', 'green', 'amber', 'amber', 'amber+strict', 'red'];
const T0 = 1_790_000_000_000_000;

interface GroupSpec { topology: TrustGroup['topology']; members: number[]; parents: number[]; hidden: boolean }
interface ObjectSpec { collection: number; provider: number; tlp: number; recipients: number[] }
interface HubSpec {
  groups: GroupSpec[];
  collections: { owner: number; hidden: boolean; marking: number }[];
  indicators: (ObjectSpec & { value: number; copyTo: number })[];
  campaigns: (ObjectSpec & { members: number[]; relTlp: number })[];
  starts: { value: number; object: number; depth: number }[];
}

const objectFields = { collection: fc.nat({ max: 2 }), provider: fc.nat({ max: 7 }), tlp: fc.nat({ max: TLPS.length - 1 }), recipients: fc.uniqueArray(fc.nat({ max: 7 }), { maxLength: 3 }) };
const hubArb: fc.Arbitrary<HubSpec> = fc.record({
  groups: fc.array(
    fc.record({
      topology: fc.constantFrom<TrustGroup['topology']>('horizontal', 'vertical', 'hybrid'),
      members: fc.uniqueArray(fc.nat({ max: 7 }), { minLength: 2, maxLength: 6 }),
      parents: fc.array(fc.nat({ max: 20 }), { minLength: 6, maxLength: 6 }),
      hidden: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  collections: fc.array(fc.record({ owner: fc.nat({ max: 9 }), hidden: fc.boolean(), marking: fc.nat({ max: TLPS.length - 1 }) }), { minLength: 3, maxLength: 3 }),
  // copyTo 0-2: the same object also shared in that collection (two nodes); 3-9: not.
  indicators: fc.array(fc.record({ ...objectFields, value: fc.nat({ max: POOL.length - 1 }), copyTo: fc.nat({ max: 9 }) }), { minLength: 4, maxLength: 14 }),
  campaigns: fc.array(fc.record({ ...objectFields, members: fc.uniqueArray(fc.nat({ max: 13 }), { maxLength: 5 }), relTlp: fc.nat({ max: TLPS.length - 1 }) }), { maxLength: 2 }),
  starts: fc.array(fc.record({ value: fc.nat({ max: POOL.length - 1 }), object: fc.nat({ max: 13 }), depth: fc.integer({ min: 1, max: 3 }) }), { minLength: 1, maxLength: 2 }),
});

function trustGroup(spec: GroupSpec, i: number): TrustGroup {
  const m = spec.members.map((n) => ORGS[n] as string);
  if (spec.topology === 'horizontal') return group(`g${i}`, 'horizontal', { members: m, attribution: spec.hidden ? 'hidden' : 'attributed' });
  const roots = spec.topology === 'hybrid' ? 2 : 1;
  const tree: Record<string, string[]> = {};
  for (const r of m.slice(0, roots)) tree[r] = [];
  m.forEach((o, k) => {
    if (k < roots) return;
    const parent = m[(spec.parents[k] ?? 0) % k] as string;
    tree[parent] = [...(tree[parent] ?? []), o];
  });
  const peerLinks = spec.topology === 'hybrid' ? [{ between: [m[0] as string, m[1] as string] as [string, string], passDown: (spec.parents[0] ?? 0) % 2 === 0 }] : [];
  return group(`g${i}`, spec.topology, { members: m, tree, peerLinks, attribution: spec.hidden ? 'hidden' : 'attributed' });
}

interface Stored { collectionId: string; id: string; type: string; provider: string; tlp: TlpLevel; recipients: string[]; values: KindValue[]; name?: string; source?: string; target?: string }

/** The pivot over only what `who` may read, hop by hop, as the service is specified. */
function referencePivot(policy: CompiledPolicy, who: Principal, stored: readonly Stored[], start: { value?: string; object?: string }, depth: number) {
  const visible = (o: Stored) => {
    if (collectionAccess(policy, who, o.collectionId)?.canRead !== true) return false;
    return objectVisibleUnderScope(readScope(policy, who, o.collectionId), { providerOrgId: o.provider, marking: o.tlp, recipients: o.recipients, namedReaders: [] });
  };
  const readable = stored.filter(visible);
  const refOf = (o: Stored) => `${o.collectionId}/${o.id}`;
  const indicators = readable.filter((o) => o.type === 'indicator');
  const campaigns = new Map(readable.filter((o) => o.type === 'campaign').map((o) => [refOf(o), o]));
  const rels = readable.filter((o) => o.type === 'relationship' && campaigns.has(`${o.collectionId}/${o.target ?? ''}`) && indicators.some((i) => i.collectionId === o.collectionId && i.id === o.source));
  const nodes = new Map<string, { hop: number; values: KindValue[]; type: string; provider?: string }>();
  const edges = new Set<string>();
  const edge = (a: string, b: string, reason: string, via: string) => {
    if (a !== b) edges.add(`${[a, b].sort().join(' ~ ')} ${reason} ${via}`);
  };
  const shownProvider = (o: Stored) => policy.collections.get(o.collectionId)?.attribution === 'attributed' || o.provider === who.organizationId;
  const add = (o: Stored, hop: number) => {
    if (!nodes.has(refOf(o))) nodes.set(refOf(o), { hop, values: o.values, type: o.type, ...(shownProvider(o) ? { provider: o.provider } : {}) });
  };
  if (start.value !== undefined) {
    const s = pivotStartOf(start.value);
    if (!s.ok) throw new Error(s.message);
    nodes.set('value', { hop: 0, values: [...s.readings], type: 'value' });
  } else {
    const found = readable.filter((o) => o.id === start.object);
    if (found.length === 0) return 'not found';
    for (const o of found) add(o, 0);
  }
  let frontier = [...nodes.keys()];
  for (let hop = 1; hop <= depth && frontier.length > 0; hop++) {
    const before = new Set(nodes.keys());
    for (const f of frontier) {
      const from = nodes.get(f);
      if (from === undefined) continue;
      for (const n of indicators) {
        for (const r of relationsBetween(from.values, n.values)) {
          if (refOf(n) === f) continue;
          add(n, hop);
          edge(f, refOf(n), r.reason, r.via);
        }
      }
    }
    const led = new Set<string>();
    const reached = new Set<string>();
    for (const f of frontier) {
      for (const r of rels.filter((x) => `${x.collectionId}/${x.source ?? ''}` === f)) {
        const c = campaigns.get(`${r.collectionId}/${r.target ?? ''}`) as Stored;
        add(c, hop);
        edge(f, refOf(c), 'indicates', c.name ?? '');
        led.add(`${refOf(c)} ${f}`);
        reached.add(refOf(c));
      }
    }
    for (const c of reached) {
      const campaign = campaigns.get(c) as Stored;
      for (const r of rels.filter((x) => `${x.collectionId}/${x.target ?? ''}` === c)) {
        const member = indicators.find((i) => i.collectionId === r.collectionId && i.id === r.source) as Stored;
        add(member, hop);
        if (!led.has(`${c} ${refOf(member)}`)) edge(c, refOf(member), 'same-campaign', campaign.name ?? '');
      }
    }
    frontier = [...nodes.keys()].filter((k) => !before.has(k) && nodes.get(k)?.type === 'indicator');
  }
  return {
    nodes: [...nodes].map(([ref, n]) => `${ref} @${n.hop}${n.provider !== undefined ? ` by ${n.provider}` : ''}`).sort(),
    // A member that indicates the campaign is not also `same-campaign` with it.
    edges: [...edges].filter((e) => !(e.includes(' same-campaign ') && edges.has(e.replace(' same-campaign ', ' indicates ')))).sort(),
  };
}

function answerOf(answer: PivotAnswer) {
  return {
    nodes: answer.nodes.map((n) => `${n.ref} @${n.hop}${n.provider !== undefined ? ` by ${n.provider}` : ''}`).sort(),
    edges: answer.edges.map((e) => `${[e.from, e.to].sort().join(' ~ ')} ${e.reason} ${e.via}`).sort(),
  };
}

describe.each(testEngines())('the pivot over random hubs on %s', (engine) => {
  let db: Database;
  let objects: SqlObjectStore;
  let clock = T0;

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const store = createSqlTenancyStore(db);
    for (const o of ORGS) await store.organizations.insert(org(o));
    await store.apiRoots.insert({ id: 'root', title: 'Root', description: null, maxContentLength: 1_000_000, managedBy: 'admin' });
    objects = new SqlObjectStore(db);
  });
  afterAll(() => db.close());

  const version = (type: string, providerOrgId: string, tlp: TlpLevel, recipients: string[], fields: Record<string, unknown>): NewObjectVersion => {
    const id = `${type}--${randomUUID()}`;
    const at = (clock += 1000);
    const stamp = new Date(at / 1000).toISOString();
    return { id, type, specVersion: '2.1', version: at, providerOrgId, tlp, recipients, object: { type, spec_version: '2.1', id, created: stamp, modified: stamp, ...fields } };
  };

  it('gives every organization exactly the pivot over what it may read', async () => {
    const tenancy = createSqlTenancyStore(db);
    await fc.assert(
      fc.asyncProperty(hubArb, async (spec) => {
        const groups = spec.groups.map(trustGroup);
        const ids: string[] = spec.collections.map(() => randomUUID());
        const input: PolicyInput = {
          organizations: ORGS.map(org),
          trustGroups: groups,
          collections: spec.collections.map((c, i) =>
            collection(ids[i] as string, c.owner < groups.length ? { kind: 'trust-group', id: `g${c.owner}` } : { kind: 'organization', id: ORGS[c.owner % ORGS.length] as string }, TLPS[c.marking], { attribution: c.hidden ? 'hidden' : 'attributed' }),
          ),
        };
        const compiled = compilePolicy(input);
        fc.pre(compiled.ok);
        if (!compiled.ok) return;
        const policy = compiled.policy;
        for (const id of ids) {
          await tenancy.collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'organization', id: 'o0' }, defaultMarking: 'amber', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
        }
        const stored: Stored[] = [];
        const put = async (collectionId: string, v: NewObjectVersion, extra: Partial<Stored>) => {
          const [outcome] = await objects.appendAsProvider(collectionId, v.providerOrgId, [v], (clock += 1000));
          expect(outcome?.kind).toBe('added');
          stored.push({ collectionId, id: v.id, type: v.type, provider: v.providerOrgId, tlp: v.tlp, recipients: [...v.recipients], values: [], ...extra });
        };
        const recipientsOf = (o: ObjectSpec) => (TLPS[o.tlp] === 'red' ? o.recipients.map((r) => ORGS[r] as string) : []);
        for (const ind of spec.indicators) {
          const { kind, value } = POOL[ind.value] as KindValue;
          const normalised = normaliseIndicator({ kind, value });
          if (!normalised.ok) throw new Error(normalised.message);
          const v = version('indicator', ORGS[ind.provider] as string, TLPS[ind.tlp] as TlpLevel, recipientsOf(ind), {
            pattern: normalised.indicator.pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z',
            extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind } },
          });
          await put(ids[ind.collection] as string, v, { values: [{ kind, value: normalised.indicator.value }] });
          if (ind.copyTo <= 2 && ind.copyTo !== ind.collection) await put(ids[ind.copyTo] as string, v, { values: [{ kind, value: normalised.indicator.value }] });
        }
        const indicatorsStored = stored.slice();
        for (const [k, c] of spec.campaigns.entries()) {
          const collectionId = ids[c.collection] as string;
          const name = `Wave ${k}`;
          const campaign = version('campaign', ORGS[c.provider] as string, TLPS[c.tlp] as TlpLevel, recipientsOf(c), { name });
          await put(collectionId, campaign, { name });
          for (const m of c.members) {
            const member = indicatorsStored[m % indicatorsStored.length] as Stored;
            if (member.collectionId !== collectionId) continue;
            const rel = version('relationship', ORGS[c.provider] as string, TLPS[c.relTlp] as TlpLevel, TLPS[c.relTlp] === 'red' ? recipientsOf(c) : [], { relationship_type: 'indicates', source_ref: member.id, target_ref: campaign.id });
            await put(collectionId, rel, { source: member.id, target: campaign.id });
          }
        }
        const indexer = createAnalysisIndexer({ keys: new SqlAnalysisKeyStore(db), feeds: new SqlSensorFeedStore(db) });
        const pivots = createPivotService({
          policy: { current: () => Promise.resolve(policy) },
          collections: createCollectionService({ store: tenancy, policy: { current: () => Promise.resolve(policy) } }),
          store: new SqlPivotStore(db, FEED_ENTRY_DERIVATION),
          catchUp: () => indexer.catchUp(),
        });
        for (const o of ORGS) {
          const who = principal(o, 'consumer');
          for (const s of spec.starts) {
            const target = indicatorsStored[s.object % indicatorsStored.length] as Stored;
            for (const start of [{ value: (POOL[s.value] as KindValue).value }, { object: target.id }]) {
              const expected = referencePivot(policy, who, stored.filter((x) => ids.includes(x.collectionId)), start, s.depth);
              const got = await pivots.pivot(who, { ...start, depth: s.depth }).then(answerOf, (error: unknown) => {
                if ((error as { code?: string }).code === 'NOT_FOUND') return 'not found' as const;
                throw error;
              });
              expect({ who: o, start, depth: s.depth, got }).toEqual({ who: o, start, depth: s.depth, got: expected });
            }
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  /** A new GREEN collection of a horizontal group of o0 and o1. */
  const peersCollection = async () => {
    const tenancy = createSqlTenancyStore(db);
    const id = randomUUID();
    const compiled = compilePolicy({ organizations: ORGS.map(org), trustGroups: [group('g', 'horizontal', { members: ['o0', 'o1'] })], collections: [collection(id, { kind: 'trust-group', id: 'g' }, 'green')] });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const policy = compiled.policy;
    await tenancy.collections.insert({ id, apiRootId: 'root', alias: null, title: id, description: null, owner: { kind: 'organization', id: 'o0' }, defaultMarking: 'green', unmarked: 'default', attribution: 'attributed', managedBy: 'admin' });
    return { tenancy, id, policy };
  };

  it('stops at its bound, says at which hop, and keeps no edge to a node left out', async () => {
    const { tenancy, id, policy } = await peersCollection();
    const normalised = normaliseIndicator({ kind: 'c2-ip', value: '192.0.2.1' });
    if (!normalised.ok) throw new Error(normalised.message);
    for (let i = 0; i < 12; i++) {
      const v = version('indicator', 'o0', 'green', [], { pattern: normalised.indicator.pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'c2-ip' } } });
      await objects.appendAsProvider(id, 'o0', [v], (clock += 1000));
    }
    const indexer = createAnalysisIndexer({ keys: new SqlAnalysisKeyStore(db), feeds: new SqlSensorFeedStore(db) });
    const pivots = createPivotService({
      policy: { current: () => Promise.resolve(policy) },
      collections: createCollectionService({ store: tenancy, policy: { current: () => Promise.resolve(policy) } }),
      store: new SqlPivotStore(db, FEED_ENTRY_DERIVATION),
      catchUp: () => indexer.catchUp(),
      maxNodes: 5,
    });
    const answer = await pivots.pivot(principal('o1', 'consumer'), { value: '192.0.2.1', depth: 2 });
    expect(answer.nodes).toHaveLength(5);
    expect(answer.truncatedAtHop).toBe(1);
    const refs = new Set(answer.nodes.map((n) => n.ref));
    for (const e of answer.edges) expect([refs.has(e.from), refs.has(e.to)]).toEqual([true, true]);
    expect((await pivots.pivot(principal('o1', 'consumer'), { value: '192.0.2.99' })).truncatedAtHop).toBeUndefined();
  });

  it('reads no more campaign members than the graph has room for, and says it stopped', async () => {
    const { tenancy, id, policy } = await peersCollection();
    const campaign = version('campaign', 'o0', 'green', [], { name: 'Wide wave' });
    const batch: NewObjectVersion[] = [campaign];
    for (let i = 0; i < 12; i++) {
      const normalised = normaliseIndicator({ kind: 'c2-hostname', value: `c${i}.wide-wave.example` });
      if (!normalised.ok) throw new Error(normalised.message);
      const member = version('indicator', 'o0', 'green', [], { pattern: normalised.indicator.pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00Z', extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', kind: 'c2-hostname' } } });
      batch.push(member, version('relationship', 'o0', 'green', [], { relationship_type: 'indicates', source_ref: member.id, target_ref: campaign.id }));
    }
    await objects.appendAsProvider(id, 'o0', batch, (clock += 1000));
    const indexer = createAnalysisIndexer({ keys: new SqlAnalysisKeyStore(db), feeds: new SqlSensorFeedStore(db) });
    // The real store, counting the member rows it returns.
    const store = new SqlPivotStore(db, FEED_ENTRY_DERIVATION);
    const membersRead: number[] = [];
    const counting = Object.assign(Object.create(store) as SqlPivotStore, {
      membersOf: async (...args: Parameters<SqlPivotStore['membersOf']>) => {
        const rows = await store.membersOf(...args);
        membersRead.push(rows.length);
        return rows;
      },
    });
    const pivotsOf = (maxNodes: number) =>
      createPivotService({
        policy: { current: () => Promise.resolve(policy) },
        collections: createCollectionService({ store: tenancy, policy: { current: () => Promise.resolve(policy) } }),
        store: counting,
        catchUp: () => indexer.catchUp(),
        maxNodes,
      });
    const bounded = await pivotsOf(5).pivot(principal('o1', 'consumer'), { object: campaign.id, depth: 1 });
    // Room for four beside the campaign; at hop 1 the members that led back to it, for their edges alone.
    expect(membersRead).toEqual([4, 4]);
    expect(bounded.nodes.map((n) => n.type).sort()).toEqual(['campaign', 'indicator', 'indicator', 'indicator', 'indicator']);
    expect(bounded.truncatedAtHop).toBe(0);
    const refs = new Set(bounded.nodes.map((n) => n.ref));
    for (const e of bounded.edges) expect([refs.has(e.from), refs.has(e.to)]).toEqual([true, true]);
    expect(bounded.edges.map((e) => `${e.reason} ${e.to}`)).toEqual(Array.from({ length: 4 }, () => `indicates ${id}/${campaign.id}`));
    // With room for all: the campaign and its 12 members, nothing left out.
    const whole = await pivotsOf(500).pivot(principal('o1', 'consumer'), { object: campaign.id, depth: 1 });
    expect(whole.nodes).toHaveLength(13);
    expect(whole.truncatedAtHop).toBeUndefined();
  });
});
