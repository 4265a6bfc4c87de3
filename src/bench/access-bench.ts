import { performance } from 'node:perf_hooks';
import { compilePolicy, decide, readScope, type PolicyInput, type Target } from '../access';
import type { Principal } from '../domain/principal';
import { TLP_LEVELS, type Collection, type Role, type TlpLevel, type TrustGroup } from '../domain/tenancy';
import { seededRandom as random } from './seeded-random';

/**
 * Access benchmark: a generated hub of 1,000 organizations and 100 trust groups (horizontal,
 * deep vertical trees, hybrid forests with peer links), 200 collections. Times compilePolicy
 * (median of several runs) and decide() per object.
 */

const ORGANIZATIONS = 1000;
const GROUPS = 100;
const COMPILE_RUNS = 9;
const DECISIONS = 2_000_000;


function generateHub(): PolicyInput {
  const next = random(42);
  const int = (below: number) => Math.floor(next() * below);
  const orgIds = Array.from({ length: ORGANIZATIONS }, (_, i) => `org-${i}`);
  const pickDistinct = (count: number) => {
    const picked = new Set<string>();
    while (picked.size < count) picked.add(orgIds[int(orgIds.length)] as string);
    return [...picked];
  };
  const treeOver = (nodes: readonly string[], newRootChance: number) => {
    const tree: Record<string, string[]> = Object.fromEntries(nodes.map((n) => [n, [] as string[]]));
    const roots = [nodes[0] as string];
    nodes.forEach((node, i) => {
      if (i === 0) return;
      if (next() < newRootChance) return void roots.push(node);
      // Mostly the previous node: deep chains, as in national → regional → local hierarchies.
      const parent = next() < 0.6 ? (nodes[i - 1] as string) : (nodes[int(i)] as string);
      (tree[parent] as string[]).push(node);
    });
    return { tree, roots };
  };

  const trustGroups: TrustGroup[] = [];
  for (let g = 0; g < GROUPS; g++) {
    const base = { id: `group-${g}`, name: `Group ${g}`, attribution: 'attributed' as const, managedBy: 'config' as const };
    const kind = g % 3;
    if (kind === 0) {
      trustGroups.push({ ...base, topology: 'horizontal', members: pickDistinct(5 + int(40)), tree: {}, peerLinks: [] });
    } else if (kind === 1) {
      const nodes = pickDistinct(20 + int(80));
      trustGroups.push({ ...base, topology: 'vertical', members: nodes, tree: treeOver(nodes, 0).tree, peerLinks: [] });
    } else {
      const nodes = pickDistinct(20 + int(60));
      const { tree, roots } = treeOver(nodes, 0.08);
      if (roots.length < 2) roots.push(nodes[nodes.length - 1] as string);
      const peerLinks = roots.slice(1).map((root, i) => ({ between: [roots[i] as string, root] as const, passDown: i % 2 === 0 }));
      trustGroups.push({ ...base, topology: 'hybrid', members: nodes, tree, peerLinks });
    }
  }
  const collection = (id: string, owner: Collection['owner'], defaultMarking: TlpLevel): Collection => ({
    id, apiRootId: 'bench', alias: null, title: id, description: null, owner, defaultMarking, unmarked: 'default', attribution: 'attributed', managedBy: 'config',
  });
  const collections: Collection[] = [
    ...trustGroups.map((g, i) => collection(`coll-${g.id}`, { kind: 'trust-group', id: g.id }, TLP_LEVELS[i % TLP_LEVELS.length] as TlpLevel)),
    ...Array.from({ length: 100 }, (_, i) => collection(`coll-org-${i}`, { kind: 'organization', id: orgIds[int(orgIds.length)] as string }, 'amber')),
  ];
  return { organizations: orgIds.map((id) => ({ id, name: id, parentId: null, managedBy: 'config' })), trustGroups, collections };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function runAccessBench(print: (line: string) => void): Promise<void> {
  const input = generateHub();
  const compileTimes: number[] = [];
  let compiled = compilePolicy(input);
  for (let i = 0; i < COMPILE_RUNS; i++) {
    const started = performance.now();
    compiled = compilePolicy(input);
    compileTimes.push(performance.now() - started);
  }
  if (!compiled.ok) throw new Error(`bench hub does not compile: ${JSON.stringify(compiled.problems.slice(0, 5))}`);
  const policy = compiled.policy;
  print(`access: compilePolicy over ${ORGANIZATIONS} organizations, ${GROUPS} groups, ${input.collections.length} collections: median ${median(compileTimes).toFixed(1)} ms (${COMPILE_RUNS} runs)`);

  // Mostly members of the collection's groups asking (the realistic case), over every marking.
  const next = random(7);
  const int = (below: number) => Math.floor(next() * below);
  const cases: { who: Principal; target: Target }[] = [];
  const roles = new Set<Role>(['consumer']);
  for (let i = 0; i < 4096; i++) {
    const c = input.collections[int(input.collections.length)] as Collection;
    const group = input.trustGroups.find((g) => g.id === c.owner.id);
    const pool = group?.members ?? input.organizations.map((o) => o.id);
    const org = () => (next() < 0.9 ? (pool[int(pool.length)] as string) : `org-${int(ORGANIZATIONS)}`);
    const marking = next() < 0.2 ? undefined : (TLP_LEVELS[int(TLP_LEVELS.length)] as TlpLevel);
    cases.push({
      who: { userId: 'u', username: 'u', organizationId: org(), roles, via: 'api-key' },
      target: { collectionId: c.id, object: { providerOrgId: org(), marking, recipients: [org(), org()] } },
    });
  }

  for (let round = 0; round < 2; round++) {
    // The first round warms the JIT; the second is measured.
    let allowed = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < DECISIONS; i++) {
      const { who, target } = cases[i & 4095] as { who: Principal; target: Target };
      if (decide(policy, who, 'read', target).allowed) allowed++;
    }
    const elapsed = Number(process.hrtime.bigint() - started);
    if (round === 1) print(`access: decide over ${DECISIONS.toLocaleString('en')} calls: ${(elapsed / DECISIONS).toFixed(1)} ns/decision (${((allowed / DECISIONS) * 100).toFixed(0)}% allowed)`);
  }

  const scopeRuns = 20_000;
  const started = process.hrtime.bigint();
  for (let i = 0; i < scopeRuns; i++) {
    const { who, target } = cases[i & 4095] as { who: Principal; target: Target };
    readScope(policy, who, target.collectionId);
  }
  print(`access: readScope: ${(Number(process.hrtime.bigint() - started) / scopeRuns / 1000).toFixed(1)} µs/query scope`);
}
