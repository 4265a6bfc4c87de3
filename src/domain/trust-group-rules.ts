import type { PathSegment, SegmentProblem } from './field-path';
import type { Topology, TrustGroup } from './tenancy';

/**
 * Structural rules of a trust group, the one implementation behind the declarative config, the admin
 * API and the access policy: a horizontal group is a list of peers, a vertical group one tree, a
 * hybrid group several trees joined by peer links.
 */

/** A group as its rules see it; a part that is absent was not given (a YAML key left out). */
export interface TrustGroupShape {
  readonly topology: Topology;
  readonly members?: readonly string[];
  readonly tree?: Readonly<Record<string, readonly string[]>>;
  readonly peerLinks?: readonly { readonly between: readonly [string, string] }[];
}

export interface TrustGroupRuleContext {
  /** The ids of the organizations that exist. */
  readonly knownOrganizations: ReadonlySet<string>;
  /** The message for an organization that does not exist (the config adds a did-you-mean hint). */
  readonly describeUnknown?: (id: string) => string;
  /**
   * 'input' (config, admin request): the members of a tree group come from its tree, so listing
   * them is a mistake. 'stored': they were derived from the tree already; each must stand in it.
   */
  readonly source: 'input' | 'stored';
}

/**
 * Every problem with a group, with paths relative to the group (e.g. ['tree', 'acme-hq', 1]); the
 * caller says where the group stands. Each cycle is reported once.
 */
export function trustGroupProblems(group: TrustGroupShape, context: TrustGroupRuleContext): SegmentProblem[] {
  const problems: SegmentProblem[] = [];
  const describeUnknown = context.describeUnknown ?? ((id: string) => `unknown organization '${id}'`);
  const rules: Rules = {
    group,
    known: context.knownOrganizations,
    report: (segments, message) => problems.push({ segments, message }),
    checkKnown: (segments, id) => {
      const known = context.knownOrganizations.has(id);
      if (!known) problems.push({ segments, message: describeUnknown(id) });
      return known;
    },
  };
  if (group.topology === 'horizontal') checkHorizontal(rules);
  else checkTreeGroup(rules, group.topology, context.source);
  return problems;
}

/** A domain group as a shape: the domain has no "not given", so an empty list or tree counts as absent. */
export function trustGroupShape(group: Pick<TrustGroup, 'topology' | 'members' | 'tree' | 'peerLinks'>): TrustGroupShape {
  return {
    topology: group.topology,
    members: group.members.length > 0 ? group.members : undefined,
    tree: Object.keys(group.tree).length > 0 ? group.tree : undefined,
    peerLinks: group.peerLinks.length > 0 ? group.peerLinks : undefined,
  };
}

interface Rules {
  readonly group: TrustGroupShape;
  readonly known: ReadonlySet<string>;
  report(segments: readonly PathSegment[], message: string): void;
  /** Reports an unknown organization; true when it exists. */
  checkKnown(segments: readonly PathSegment[], id: string): boolean;
}

function checkHorizontal({ group, report, checkKnown }: Rules): void {
  if (group.tree !== undefined) report(['tree'], 'a horizontal group lists its peers under members; tree is for vertical and hybrid groups');
  if (group.peerLinks !== undefined) report(['peer_links'], 'peer_links are for hybrid groups');
  if (group.members === undefined) {
    report(['members'], 'is required for a horizontal group');
    return;
  }
  if (new Set(group.members).size < 2) report(['members'], 'a horizontal group needs at least 2 members');
  const seen = new Set<string>();
  group.members.forEach((member, j) => {
    if (checkKnown(['members', j], member) && seen.has(member)) report(['members', j], `organization '${member}' is listed twice`);
    seen.add(member);
  });
}

function checkTreeGroup(rules: Rules, kind: 'vertical' | 'hybrid', source: TrustGroupRuleContext['source']): void {
  const { group, report } = rules;
  if (source === 'input' && group.members !== undefined) {
    report(['members'], `the members of a ${kind} group are the organizations in its tree; remove members`);
  }
  if (kind === 'vertical' && group.peerLinks !== undefined) report(['peer_links'], 'peer_links are for hybrid groups');
  const tree = group.tree ?? {};
  if (Object.keys(tree).length === 0) {
    report(['tree'], group.tree === undefined ? `is required for a ${kind} group` : 'must name at least one organization');
  }
  const nodes = checkTree(rules, kind, tree);
  if (source === 'stored') {
    group.members?.forEach((member, i) => {
      if (!nodes.has(member)) report(['members', i], `organization '${member}' is a member but stands in none of the group's trees`);
    });
  }
  if (kind === 'hybrid') checkPeerLinks(rules, nodes);
}

/** Checks names, parents and cycles; returns every organization in the tree(s). */
function checkTree({ report, checkKnown }: Rules, kind: 'vertical' | 'hybrid', tree: Readonly<Record<string, readonly string[]>>): ReadonlySet<string> {
  const parentOf = new Map<string, string>();
  const nodes = new Set<string>();
  for (const [parent, children] of Object.entries(tree)) {
    nodes.add(parent);
    checkKnown(['tree', parent], parent);
    children.forEach((child, j) => {
      nodes.add(child);
      const at = ['tree', parent, j];
      checkKnown(at, child);
      if (child === parent) {
        report(at, `organization '${child}' cannot be its own child`);
        return;
      }
      const existing = parentOf.get(child);
      if (existing !== undefined) {
        const where = existing === parent ? `is listed twice under '${parent}'` : `is already under '${existing}'; an organization has one parent in a tree`;
        report(at, `organization '${child}' ${where}`);
        return;
      }
      parentOf.set(child, parent);
    });
  }
  const inCycle = reportCycles(Object.keys(tree), parentOf, report);
  const roots = [...nodes].filter((node) => !parentOf.has(node) && !inCycle.has(node));
  if (kind === 'vertical' && roots.length > 1) report(['tree'], `a vertical group has exactly one root; found ${roots.length}: ${roots.join(', ')}`);
  return nodes;
}

/** Reports each cycle once, at its first declared parent; returns the organizations in cycles. */
function reportCycles(parents: readonly string[], parentOf: ReadonlyMap<string, string>, report: Rules['report']): Set<string> {
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
    report(['tree', first], `cycle in tree: ${[...chain, first].join(' -> ')}`);
  }
  return inCycle;
}

function childInCycle(node: string, cycle: readonly string[], parentOf: ReadonlyMap<string, string>): string {
  return cycle.find((candidate) => parentOf.get(candidate) === node) ?? node;
}

function checkPeerLinks({ group, report, checkKnown }: Rules, nodes: ReadonlySet<string>): void {
  const links = group.peerLinks ?? [];
  if (links.length === 0) report(['peer_links'], 'a hybrid group needs at least one peer link between its trees');
  const seen = new Set<string>();
  links.forEach((link, j) => {
    const [a, b] = link.between;
    if (a === b) {
      report(['peer_links', j, 'between'], 'a peer link joins two different organizations');
      return;
    }
    link.between.forEach((end, k) => {
      if (checkKnown(['peer_links', j, 'between', k], end) && !nodes.has(end)) {
        report(['peer_links', j, 'between', k], `organization '${end}' is not in this group's trees`);
      }
    });
    const key = [a, b].sort().join('\u0000');
    if (seen.has(key)) report(['peer_links', j], `duplicate peer link between '${a}' and '${b}'`);
    seen.add(key);
  });
}

/** The organizations of the cycle `start` lies on (start first, then up its parents), or [] when following parents ends at a root. */
export function findCycleThrough(start: string, parentOf: ReadonlyMap<string, string>): string[] {
  const path = [start];
  for (let node = parentOf.get(start); node !== undefined; node = parentOf.get(node)) {
    if (node === start) return path;
    if (path.includes(node)) return []; // a cycle further up, not through start
    path.push(node);
  }
  return [];
}

/** Every organization of a tree-shaped group (the `members` of vertical and hybrid groups). */
export function treeMembers(tree: Readonly<Record<string, readonly string[]>>): string[] {
  const members = new Set<string>();
  for (const [parent, children] of Object.entries(tree)) {
    members.add(parent);
    for (const child of children) members.add(child);
  }
  return [...members];
}

/** The problem, if any, with giving `organizationId` the parent `parentId` (unknown or a cycle). */
export function organizationParentProblem(organizationId: string, parentId: string | null, parentOf: ReadonlyMap<string, string | null>): string | undefined {
  if (parentId === null) return undefined;
  if (!parentOf.has(parentId)) return `unknown organization '${parentId}'`;
  const parents = new Map<string, string>();
  for (const [id, parent] of parentOf) if (parent !== null) parents.set(id, parent);
  parents.set(organizationId, parentId);
  const cycle = findCycleThrough(organizationId, parents);
  return cycle.length === 0 ? undefined : `cycle in organization parents: ${[...cycle, organizationId].join(' -> ')}`;
}
