import type { FieldProblem } from './errors';
import type { TrustGroup } from './tenancy';

/**
 * Structural rules of a trust group, shared by the declarative config and the admin API.
 * `knownOrganizations` is the set of organization ids that exist. Paths are relative to the group
 * (e.g. `tree.acme-hq[1]`); callers prefix them with where the group stands.
 */
export function trustGroupProblems(group: Pick<TrustGroup, 'topology' | 'members' | 'tree' | 'peerLinks'>, knownOrganizations: ReadonlySet<string>): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const unknown = (path: string, org: string) => {
    if (!knownOrganizations.has(org)) problems.push({ path, message: `unknown organization '${org}'` });
  };

  if (group.topology === 'horizontal') {
    group.members.forEach((org, i) => unknown(`members[${i}]`, org));
    const distinct = new Set(group.members);
    if (distinct.size !== group.members.length) problems.push({ path: 'members', message: 'an organization is listed twice' });
    if (distinct.size < 2) problems.push({ path: 'members', message: 'a horizontal group needs at least two members' });
    if (Object.keys(group.tree).length > 0) problems.push({ path: 'tree', message: 'a horizontal group has no tree' });
    if (group.peerLinks.length > 0) problems.push({ path: 'peer_links', message: 'a horizontal group has no peer links' });
    return problems;
  }

  const parentOf = new Map<string, string>();
  for (const [parent, children] of Object.entries(group.tree)) {
    unknown(`tree.${parent}`, parent);
    children.forEach((child, i) => {
      const path = `tree.${parent}[${i}]`;
      unknown(path, child);
      if (child === parent) {
        problems.push({ path, message: `organization '${child}' cannot be its own child` });
        return;
      }
      const earlier = parentOf.get(child);
      if (earlier !== undefined) {
        problems.push({ path, message: `organization '${child}' is already under '${earlier}'; an organization has one parent in a tree` });
        return;
      }
      parentOf.set(child, parent);
    });
  }
  const nodes = new Set<string>([...Object.keys(group.tree), ...parentOf.keys()]);
  const roots = [...nodes].filter((n) => !parentOf.has(n));

  for (const node of nodes) {
    const seen = new Set<string>([node]);
    for (let up = parentOf.get(node); up !== undefined; up = parentOf.get(up)) {
      if (seen.has(up)) {
        problems.push({ path: `tree.${up}`, message: `cycle in the tree: ${[...seen, up].join(' -> ')}` });
        break;
      }
      seen.add(up);
    }
  }
  const hasCycle = problems.some((p) => p.message.startsWith('cycle'));
  if (nodes.size === 0) problems.push({ path: 'tree', message: `a ${group.topology} group needs a tree` });
  else if (group.topology === 'vertical' && !hasCycle && roots.length !== 1) {
    problems.push({ path: 'tree', message: `a vertical group has exactly one root; found ${roots.length} (${roots.join(', ')})` });
  }

  if (group.topology === 'vertical' && group.peerLinks.length > 0) {
    problems.push({ path: 'peer_links', message: 'a vertical group has no peer links; use a hybrid group' });
  }
  if (group.topology === 'hybrid') {
    if (group.peerLinks.length === 0) problems.push({ path: 'peer_links', message: 'a hybrid group needs at least one peer link' });
    group.peerLinks.forEach((link, i) => {
      const [a, b] = link.between;
      if (a === b) problems.push({ path: `peer_links[${i}].between`, message: 'a peer link joins two different organizations' });
      link.between.forEach((org, j) => {
        if (!nodes.has(org)) problems.push({ path: `peer_links[${i}].between[${j}]`, message: `organization '${org}' is not in this group's trees` });
      });
    });
  }
  return problems;
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
  const chain = [organizationId];
  for (let up: string | null | undefined = parentId; up; up = parentOf.get(up)) {
    chain.push(up);
    if (up === organizationId) return `cycle in organization parents: ${chain.join(' -> ')}`;
    if (chain.length > parentOf.size + 1) break;
  }
  return undefined;
}
