import { didYouMean, type Located, type ProblemCollector } from './config-problems';
import type { TrustGroupEntry } from './hub-config-document';

/**
 * Checks one trust group against its topology: a horizontal group is a list of peers, a vertical
 * group one tree, a hybrid group several trees joined by peer links.
 */
export function checkTrustGroup(group: Located<TrustGroupEntry>, knownOrgs: ReadonlySet<string>, problems: ProblemCollector): void {
  const unknownOrg = (id: string) => `unknown organization '${id}'${didYouMean(id, knownOrgs)}`;
  const { entry } = group;
  switch (entry.topology) {
    case 'horizontal':
      checkHorizontal(group, knownOrgs, problems, unknownOrg);
      return;
    case 'vertical':
    case 'hybrid':
      checkTreeGroup(group, knownOrgs, problems, unknownOrg);
      return;
  }
}

type UnknownOrgMessage = (id: string) => string;

function checkHorizontal(group: Located<TrustGroupEntry>, known: ReadonlySet<string>, problems: ProblemCollector, unknownOrg: UnknownOrgMessage): void {
  const { entry } = group;
  if (entry.tree !== undefined) {
    problems.at(group, ['tree'], 'a horizontal group lists its peers under members; tree is for vertical and hybrid groups');
  }
  if (entry.peer_links !== undefined) problems.at(group, ['peer_links'], 'peer_links are for hybrid groups');
  if (entry.members === undefined) {
    problems.at(group, ['members'], 'is required for a horizontal group');
    return;
  }
  if (entry.members.length < 2) problems.at(group, ['members'], 'a horizontal group needs at least 2 members');
  const seen = new Set<string>();
  entry.members.forEach((member, j) => {
    if (!known.has(member)) problems.at(group, ['members', j], unknownOrg(member));
    else if (seen.has(member)) problems.at(group, ['members', j], `organization '${member}' is listed twice`);
    seen.add(member);
  });
}

function checkTreeGroup(group: Located<TrustGroupEntry>, known: ReadonlySet<string>, problems: ProblemCollector, unknownOrg: UnknownOrgMessage): void {
  const { entry } = group;
  const kind = entry.topology;
  if (entry.members !== undefined) {
    problems.at(group, ['members'], `the members of a ${kind} group are the organizations in its tree; remove members`);
  }
  if (kind === 'vertical' && entry.peer_links !== undefined) problems.at(group, ['peer_links'], 'peer_links are for hybrid groups');
  const tree = entry.tree ?? {};
  if (Object.keys(tree).length === 0) {
    problems.at(group, ['tree'], entry.tree === undefined ? `is required for a ${kind} group` : 'must name at least one organization');
  }
  const nodes = checkTree(group, tree, known, problems, unknownOrg);
  if (kind === 'hybrid') checkPeerLinks(group, nodes, known, problems, unknownOrg);
}

/** Checks names, parents and cycles; returns every organization in the tree(s). */
function checkTree(
  group: Located<TrustGroupEntry>,
  tree: Record<string, string[]>,
  known: ReadonlySet<string>,
  problems: ProblemCollector,
  unknownOrg: UnknownOrgMessage,
): ReadonlySet<string> {
  const parentOf = new Map<string, string>();
  const nodes = new Set<string>();
  for (const [parent, children] of Object.entries(tree)) {
    nodes.add(parent);
    if (!known.has(parent)) problems.at(group, ['tree', parent], unknownOrg(parent));
    children.forEach((child, j) => {
      nodes.add(child);
      const at = ['tree', parent, j];
      if (!known.has(child)) problems.at(group, at, unknownOrg(child));
      if (child === parent) {
        problems.at(group, at, `organization '${child}' cannot be its own child`);
        return;
      }
      const existing = parentOf.get(child);
      if (existing !== undefined) {
        const where = existing === parent ? `is listed twice under '${parent}'` : `is already under '${existing}'; an organization has one parent in a tree`;
        problems.at(group, at, `organization '${child}' ${where}`);
        return;
      }
      parentOf.set(child, parent);
    });
  }
  const inCycle = reportCycles(group, Object.keys(tree), parentOf, problems);
  const roots = [...nodes].filter((node) => !parentOf.has(node) && !inCycle.has(node));
  if (group.entry.topology === 'vertical' && roots.length > 1) {
    problems.at(group, ['tree'], `a vertical group has exactly one root; found ${roots.length}: ${roots.join(', ')}`);
  }
  return nodes;
}

/** Reports each cycle once, at its first declared parent; returns the organizations in cycles. */
function reportCycles(group: Located<TrustGroupEntry>, parents: readonly string[], parentOf: ReadonlyMap<string, string>, problems: ProblemCollector): Set<string> {
  const inCycle = new Set<string>();
  for (const start of parents) {
    if (inCycle.has(start)) continue;
    const cycle = findCycleThrough(start, parentOf);
    if (cycle.length === 0) continue;
    cycle.forEach((node) => inCycle.add(node));
    // Printed top-down (parent -> child), starting from the first declared parent in the cycle.
    const first = parents.find((node) => cycle.includes(node)) ?? start;
    const chain = [first];
    for (let node = childInCycle(first, cycle, parentOf); node !== first; node = childInCycle(node, cycle, parentOf)) chain.push(node);
    problems.at(group, ['tree', first], `cycle in tree: ${[...chain, first].join(' -> ')}`);
  }
  return inCycle;
}

/** The organizations of the cycle `start` lies on, or [] when following parents ends at a root. */
export function findCycleThrough(start: string, parentOf: ReadonlyMap<string, string>): string[] {
  const path = [start];
  for (let node = parentOf.get(start); node !== undefined; node = parentOf.get(node)) {
    if (node === start) return path;
    if (path.includes(node)) return []; // a cycle further up, not through start
    path.push(node);
  }
  return [];
}

function childInCycle(node: string, cycle: readonly string[], parentOf: ReadonlyMap<string, string>): string {
  return cycle.find((candidate) => parentOf.get(candidate) === node) ?? node;
}

function checkPeerLinks(
  group: Located<TrustGroupEntry>,
  nodes: ReadonlySet<string>,
  known: ReadonlySet<string>,
  problems: ProblemCollector,
  unknownOrg: UnknownOrgMessage,
): void {
  const links = group.entry.peer_links ?? [];
  if (links.length === 0) {
    problems.at(group, ['peer_links'], 'a hybrid group needs at least one peer link between its trees');
  }
  const seen = new Set<string>();
  links.forEach((link, j) => {
    const [a, b] = link.between;
    if (a === b) {
      problems.at(group, ['peer_links', j, 'between'], 'a peer link joins two different organizations');
      return;
    }
    link.between.forEach((end, k) => {
      if (!known.has(end)) problems.at(group, ['peer_links', j, 'between', k], unknownOrg(end));
      else if (!nodes.has(end)) problems.at(group, ['peer_links', j, 'between', k], `organization '${end}' is not in this group's tree`);
    });
    const key = [a, b].sort().join('\u0000');
    if (seen.has(key)) problems.at(group, ['peer_links', j], `duplicate peer link between '${a}' and '${b}'`);
    seen.add(key);
  });
}
