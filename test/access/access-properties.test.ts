import fc from 'fast-check';
import { decide, objectVisibleUnderScope, readScope, recipientsPreview, type CompiledPolicy, type PolicyInput, type ReadScope } from '../../src/access';
import type { Principal } from '../../src/domain/principal';
import { TLP_LEVELS, type Role, type TlpLevel, type TrustGroup } from '../../src/domain/tenancy';
import { collection, compiled, group, org, principal } from './fixture-hub';

/**
 * Properties of the access rules over random hubs: random horizontal groups, random vertical trees,
 * random hybrid forests with random peer links (random pass-down), random collections, consumers
 * and objects (some of them reports with named readers: the consumer itself, or random
 * organizations). 2,000 hubs × 120 decisions = 240,000 checked decisions per run; each decision is
 * compared with a literal reading of the rules, with the named invariants, with readScope and
 * with the recipients preview.
 */

const HUBS = 2000;
const DECISIONS_PER_HUB = 120;

// ---- generating hubs ---------------------------------------------------------------------------

interface GroupShape { topology: TrustGroup['topology']; picks: number[]; parents: number[]; links: { a: number; b: number; passDown: boolean; heads: boolean }[] }

const groupShape: fc.Arbitrary<GroupShape> = fc.record({
  topology: fc.constantFrom<TrustGroup['topology']>('horizontal', 'vertical', 'hybrid'),
  picks: fc.uniqueArray(fc.nat({ max: 13 }), { minLength: 2, maxLength: 9 }),
  // parents[i] % (i + 1) picks node i's parent among the earlier nodes; in a hybrid group the value
  // past them starts a new tree.
  parents: fc.array(fc.nat({ max: 40 }), { minLength: 9, maxLength: 9 }),
  // heads: link two tree roots (the usual hybrid shape) rather than any two nodes.
  links: fc.array(fc.record({ a: fc.nat({ max: 8 }), b: fc.nat({ max: 8 }), passDown: fc.boolean(), heads: fc.boolean() }), { minLength: 1, maxLength: 4 }),
});

function buildGroup(id: string, shape: GroupShape, orgIds: readonly string[]): TrustGroup | undefined {
  const nodes = shape.picks.filter((i) => i < orgIds.length).map((i) => orgIds[i] as string);
  if (nodes.length < 2) return undefined;
  if (shape.topology === 'horizontal') return group(id, 'horizontal', { members: nodes });
  const tree: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, [] as string[]]));
  nodes.forEach((node, i) => {
    if (i === 0) return;
    const pick = (shape.parents[i] ?? 0) % (i + 1);
    if (shape.topology === 'hybrid' && pick >= i) return; // a new root
    (tree[nodes[pick % i] as string] as string[]).push(node);
  });
  if (shape.topology === 'vertical') return group(id, 'vertical', { tree });
  const seen = new Set<string>();
  const roots = nodes.filter((n) => !Object.values(tree).some((kids) => kids.includes(n)));
  const peerLinks = shape.links.flatMap(({ a, b, passDown, heads }) => {
    const ends = heads && roots.length > 1 ? roots : nodes;
    const x = ends[a % ends.length] as string;
    const y = ends[b % ends.length] as string;
    const key = [x, y].sort().join('|');
    if (x === y || seen.has(key)) return [];
    seen.add(key);
    return [{ between: [x, y] as const, passDown }];
  });
  return peerLinks.length === 0 ? undefined : group(id, 'hybrid', { tree, peerLinks });
}

const hubArb: fc.Arbitrary<PolicyInput> = fc
  .noBias(fc.record({
    orgCount: fc.integer({ min: 4, max: 14 }),
    groups: fc.array(groupShape, { minLength: 1, maxLength: 4 }),
    ownedBy: fc.array(fc.nat({ max: 13 }), { maxLength: 2 }),
    defaults: fc.array(fc.constantFrom(...TLP_LEVELS), { minLength: 6, maxLength: 6 }),
  }))
  .map(({ orgCount, groups, ownedBy, defaults }) => {
    const orgIds = Array.from({ length: orgCount }, (_, i) => `o${i}`);
    const trustGroups = groups.flatMap((shape, i) => buildGroup(`g${i}`, shape, orgIds) ?? []);
    const collections = [
      ...trustGroups.map((g, i) => collection(`c-${g.id}`, { kind: 'trust-group', id: g.id }, defaults[i] ?? 'amber')),
      ...ownedBy.map((o, i) => collection(`c-org${i}`, { kind: 'organization', id: orgIds[o % orgCount] as string }, defaults[4 + i] ?? 'amber')),
    ];
    return { organizations: orgIds.map(org), trustGroups, collections };
  });

interface Check { consumer: number; roles: Role[]; collection: number; provider: number; marking: TlpLevel | undefined; recipients: number; named: 'none' | 'consumer' | 'others'; namedMask: number }

const rolesArb = fc.constantFrom<Role[]>(...Array<Role[]>(8).fill(['consumer']), ['consumer', 'provider'], ['provider'], ['org-admin'], ['operator']);
// noBias: fast-check favours small numbers, which would make consumer and provider coincide too often.
const checksArb: fc.Arbitrary<Check[]> = fc.array(
  fc.noBias(fc.record({
    // Below 10: an organization entitled to the collection; 10-15: across a link from the provider; above: any.
    consumer: fc.nat({ max: 19 }),
    roles: rolesArb,
    collection: fc.nat({ max: 6 }),
    // Below 10: an entitled organization; 10-15: an end of a peer link; above: any organization.
    provider: fc.nat({ max: 19 }),
    marking: fc.constantFrom<TlpLevel | undefined>(undefined, 'clear', 'green', 'amber', 'amber', 'amber+strict', 'amber+strict', 'red'),
    recipients: fc.nat({ max: (1 << 14) - 1 }),
    // Named readers (a report's): mostly none; else the consumer itself, or random organizations.
    named: fc.constantFrom<Check['named']>('none', 'none', 'none', 'consumer', 'others'),
    namedMask: fc.nat({ max: (1 << 14) - 1 }),
  })),
  { minLength: DECISIONS_PER_HUB, maxLength: DECISIONS_PER_HUB },
);

// ---- a literal reading of the rules, written independently of the compiled indexes ---------------

function parentsOf(g: TrustGroup): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [parent, kids] of Object.entries(g.tree)) for (const kid of kids) parents.set(kid, parent);
  return parents;
}

function ancestorsOf(g: TrustGroup, node: string): string[] {
  const parents = parentsOf(g);
  const chain: string[] = [];
  for (let up = parents.get(node); up !== undefined; up = parents.get(up)) chain.push(up);
  return chain;
}

function related(g: TrustGroup, provider: string, consumer: string, passDown: boolean): boolean {
  if (!g.members.includes(provider) || !g.members.includes(consumer) || provider === consumer) return false;
  if (g.topology === 'horizontal') return true;
  if (ancestorsOf(g, provider).includes(consumer) || ancestorsOf(g, consumer).includes(provider)) return true;
  return g.peerLinks.some((link) => {
    if (!link.between.includes(provider)) return false;
    const other = link.between[0] === provider ? link.between[1] : link.between[0];
    return other === consumer || (passDown && link.passDown && ancestorsOf(g, consumer).includes(other));
  });
}

function literalMayRead(input: PolicyInput, who: Principal, collectionId: string, object: { providerOrgId: string; marking: TlpLevel | undefined; recipients: readonly string[]; namedReaders?: readonly string[] }): boolean {
  const col = input.collections.find((c) => c.id === collectionId);
  if (col === undefined) return false;
  if (who.roles.has('operator')) return true;
  const scope = col.owner.kind === 'trust-group'
    ? input.trustGroups.filter((g) => g.id === col.owner.id)
    : input.trustGroups.filter((g) => g.members.includes(col.owner.id));
  const org = who.organizationId;
  const entitled = (col.owner.kind === 'organization' && col.owner.id === org) || scope.some((g) => g.members.includes(org));
  if (!entitled || !who.roles.has('consumer')) return false;
  if (object.providerOrgId === org) return true;
  // A report reaches its named readers (the providers of what it reports on) whatever its marking.
  if (object.namedReaders?.includes(org) === true) return true;
  const marking = object.marking ?? col.defaultMarking;
  if (marking === 'clear' || marking === 'green') return true;
  if (marking === 'red') return object.recipients.includes(org);
  return scope.some((g) => related(g, object.providerOrgId, org, marking === 'amber'));
}

// ---- the properties ---------------------------------------------------------------------------------

function treeOf(g: TrustGroup, node: string): string {
  return [node, ...ancestorsOf(g, node)].pop() as string;
}

function checkHub(input: PolicyInput, checks: readonly Check[]): void {
  const policy: CompiledPolicy = compiled(input);
  const orgIds = input.organizations.map((o) => o.id);
  const entitledTo = new Map(input.collections.map((c) => [c.id, orgIds.filter((o) => literalMayRead(input, principal(o, 'consumer'), c.id, { providerOrgId: o, marking: 'red', recipients: [] }))]));
  // Links and pass-down need particular pairs: a link end as provider, and as consumer the other
  // end or one of its descendants. Pick such pairs often, besides entitled and arbitrary organizations.
  const linkEnds = [...new Set(input.trustGroups.flatMap((g) => g.peerLinks.flatMap((l) => [...l.between])))];
  const acrossLinksFrom = (provider: string) =>
    input.trustGroups.flatMap((g) =>
      g.peerLinks.flatMap((l) => {
        if (!l.between.includes(provider)) return [];
        const other = l.between[0] === provider ? l.between[1] : l.between[0];
        return [other, ...g.members.filter((m) => ancestorsOf(g, m).includes(other))];
      }),
    );
  const pickOrg = (n: number, entitled: readonly string[], targeted: readonly string[]) => {
    if (n >= 10 && n < 16 && targeted.length > 0) return targeted[n % targeted.length] as string;
    return (n < 16 && entitled.length > 0 ? entitled[n % entitled.length] : orgIds[n % orgIds.length]) as string;
  };
  const scopes = new Map<string, ReadScope>();
  for (const check of checks) {
    const col = input.collections[check.collection % input.collections.length];
    if (col === undefined) return;
    const entitled = entitledTo.get(col.id) ?? [];
    const provider = pickOrg(check.provider, entitled, linkEnds);
    const who = principal(pickOrg(check.consumer, entitled.length > 1 ? entitled.filter((o) => o !== provider) : entitled, acrossLinksFrom(provider)), ...check.roles);
    const me = who.organizationId;
    const recipients = orgIds.filter((_, i) => (check.recipients >> i) & 1);
    const namedReaders = check.named === 'consumer' ? [me] : check.named === 'others' ? orgIds.filter((o, i) => (check.namedMask >> i) & 1 && o !== provider) : [];
    const object = { providerOrgId: provider, marking: check.marking, recipients, ...(namedReaders.length > 0 ? { namedReaders } : {}) };
    const named = namedReaders.includes(me);
    const marking = check.marking ?? col.defaultMarking;
    const decision = decide(policy, who, 'read', { collectionId: col.id, object });
    const context = () => JSON.stringify({ collection: col, consumer: me, roles: check.roles, object, decision });

    // decide() says what a literal reading of the rules says.
    if (decision.allowed !== literalMayRead(input, who, col.id, object)) throw new Error(`decide disagrees with the rules: ${context()}`);

    const operator = who.roles.has('operator');
    // RED only to named recipients, the provider itself, or an operator.
    if (decision.allowed && marking === 'red' && !operator && me !== provider && !recipients.includes(me) && !named) throw new Error(`RED leaked: ${context()}`);
    // A named reader entitled to read the collection always reads the report; nobody else gains by the names.
    if (named && decide(policy, who, 'read', { collectionId: col.id }).allowed && !decision.allowed) throw new Error(`named reader refused: ${context()}`);
    if (!named && namedReaders.length > 0) {
      const { namedReaders: _dropped, ...unnamed } = object;
      if (decide(policy, who, 'read', { collectionId: col.id, object: unnamed }).allowed !== decision.allowed) throw new Error(`names widened a non-named reader: ${context()}`);
    }

    // A consumer that may read the collection always reads its own objects.
    if (me === provider && decide(policy, who, 'read', { collectionId: col.id }).allowed && !decision.allowed) throw new Error(`own object hidden: ${context()}`);

    const owner = col.owner.kind === 'trust-group' ? input.trustGroups.find((g) => g.id === col.owner.id) : undefined;
    if (decision.allowed && !operator && me !== provider && !named && owner !== undefined && owner.topology !== 'horizontal' && owner.members.includes(me) && owner.members.includes(provider)) {
      const lineal = ancestorsOf(owner, me).includes(provider) || ancestorsOf(owner, provider).includes(me);
      // Siblings and cousins in one tree never read each other's AMBER / AMBER+STRICT objects, nor RED ones they are not named on.
      if (owner.topology === 'vertical' && !lineal && (marking === 'amber' || marking === 'amber+strict')) throw new Error(`sibling read: ${context()}`);
      if (owner.topology === 'hybrid' && treeOf(owner, me) !== treeOf(owner, provider) && (marking === 'amber' || marking === 'amber+strict')) {
        // Across trees, only the provider's own links carry its objects, one hop: nothing crosses two links.
        const ownLinks = owner.peerLinks.filter((l) => l.between.includes(provider));
        const direct = ownLinks.some((l) => l.between.includes(me));
        const passedDown = ownLinks.some((l) => l.passDown && l.between.some((end) => end !== provider && ancestorsOf(owner, me).includes(end)));
        if (!direct && !passedDown) throw new Error(`crossed more than one link: ${context()}`);
        // AMBER+STRICT never passes down a link.
        if (marking === 'amber+strict' && !direct) throw new Error(`AMBER+STRICT passed down: ${context()}`);
      }
    }

    // The store's query scope selects exactly what decide() allows.
    const key = `${me}|${check.roles.join(',')}|${col.id}`;
    let scope = scopes.get(key);
    if (scope === undefined) {
      scope = readScope(policy, who, col.id);
      scopes.set(key, scope);
    }
    if (objectVisibleUnderScope(scope, object) !== decision.allowed) throw new Error(`readScope disagrees with decide: ${context()} scope=${JSON.stringify(scope)}`);

    // The preview names this organization iff a consumer of it may read the object.
    if (check.roles.length === 1 && check.roles[0] === 'consumer' && namedReaders.length === 0) {
      const listed = recipientsPreview(policy, { collectionId: col.id, ...object }).some((r) => r.organizationId === me);
      if (listed !== decision.allowed) throw new Error(`preview disagrees with decide: ${context()}`);
    }
  }
}

test(`access invariants hold over ${HUBS} random hubs × ${DECISIONS_PER_HUB} decisions`, () => {
  let hubs = 0;
  fc.assert(
    fc.property(hubArb, checksArb, (input, checks) => {
      if (input.collections.length === 0) return;
      hubs += 1;
      checkHub(input, checks);
    }),
    { numRuns: HUBS },
  );
  // Nearly every generated hub has at least one collection; make sure the run was not vacuous.
  expect(hubs).toBeGreaterThan(HUBS * 0.9);
});

test('an anonymous request reads nothing in a random hub', () => {
  fc.assert(
    fc.property(hubArb, (input) => {
      const policy = compiled(input);
      for (const col of input.collections) {
        expect(decide(policy, undefined, 'read', { collectionId: col.id })).toEqual({ allowed: false, reason: 'anonymous' });
        expect(readScope(policy, undefined, col.id)).toEqual({ kind: 'none' });
      }
    }),
    { numRuns: 100 },
  );
});
