import type { Command } from 'commander';
import { isStixId } from '../../domain/ids';
import { HUB_API_PREFIX } from '../../http/route-table';
import { describeError, requestHub } from '../admin/hub-request';
import { reachRunningHub } from '../admin/running-hub';

/**
 * `taxii-hub pivot <value|stix id>` (issue 15 §1): GET /api/pivot on a running hub, printed as an
 * indented tree from where the pivot started (each node once; a node met again is referenced),
 * each line with the reason and what is shared, the kind and value, the collection, TLP, state and
 * sightings; --json prints the graph, --stix the STIX bundle.
 */

interface NodeJson { ref: string; type: string; collection?: string; kind?: string; value?: string; values?: { kind: string; value: string }[]; name?: string; tlp?: string; state?: string; provider?: string; hop: number; sightings?: { count: number } }
interface EdgeJson { from: string; to: string; reason: string; via: string }
export interface PivotGraphJson { start: string[]; nodes: NodeJson[]; edges: EdgeJson[]; collections: { id: string; alias?: string }[]; truncated: boolean; truncated_at_hop?: number }


/** The graph as tree lines. */
export function pivotTree(graph: PivotGraphJson): string[] {
  const nodes = new Map(graph.nodes.map((n) => [n.ref, n]));
  const alias = new Map(graph.collections.map((c) => [c.id, c.alias ?? c.id]));
  const label = (n: NodeJson): string => {
    if (n.type === 'value') return `value ${n.values?.[0]?.value ?? n.value ?? ''} (${(n.values ?? (n.kind !== undefined ? [{ kind: n.kind }] : [])).map((v) => v.kind).join(', ')})`;
    const facts = [alias.get(n.collection ?? '') ?? n.collection, n.tlp !== undefined ? `TLP:${n.tlp.toUpperCase()}` : undefined, n.state, n.sightings !== undefined ? `${n.sightings.count} sighting${n.sightings.count === 1 ? '' : 's'}` : undefined, n.provider !== undefined ? `by ${n.provider}` : undefined]
      .filter((f) => f !== undefined)
      .join(', ');
    const what = n.type === 'campaign' ? `campaign "${n.name ?? ''}"` : `${n.kind ?? 'indicator'} ${n.value ?? ''}`;
    return `${what} [${facts}]`;
  };
  // Each node hangs under the neighbour that reached it first (lowest hop; a campaign's members under the campaign).
  const sortKey = (ref: string) => `${String(nodes.get(ref)?.hop ?? 0).padStart(2, '0')} ${nodes.get(ref) !== undefined ? label(nodes.get(ref) as NodeJson) : ref}`;
  const parent = new Map<string, EdgeJson>();
  for (const edge of graph.edges) {
    for (const [child, other] of [[edge.to, edge.from], [edge.from, edge.to]] as const) {
      const c = nodes.get(child);
      const o = nodes.get(other);
      if (c === undefined || o === undefined || graph.start.includes(child)) continue;
      const reaches = o.hop < c.hop || (o.hop === c.hop && o.type === 'campaign');
      const known = parent.get(child);
      const knownHop = known === undefined ? Infinity : (nodes.get(known.from === child ? known.to : known.from)?.hop ?? Infinity);
      if (reaches && o.hop < knownHop) parent.set(child, edge);
    }
  }
  const children = new Map<string, string[]>();
  for (const [child, edge] of parent) {
    const from = edge.from === child ? edge.to : edge.from;
    children.set(from, [...(children.get(from) ?? []), child]);
  }
  const lines: string[] = [];
  const printed = new Set<string>();
  const shown = new Set<EdgeJson>(parent.values());
  const visit = (ref: string, indent: string) => {
    // Edges to nodes printed before: referenced, once each.
    for (const edge of graph.edges) {
      if (shown.has(edge) || (edge.from !== ref && edge.to !== ref)) continue;
      const other = edge.from === ref ? edge.to : edge.from;
      const n = nodes.get(other);
      if (n === undefined || !printed.has(other)) continue;
      shown.add(edge);
      lines.push(`${indent}${edge.reason} ${edge.via} → (see above) ${label(n)}`);
    }
    for (const child of [...(children.get(ref) ?? [])].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))) {
      const edge = parent.get(child) as EdgeJson;
      printed.add(child);
      lines.push(`${indent}${edge.reason} ${edge.via} → ${label(nodes.get(child) as NodeJson)}`);
      visit(child, `${indent}  `);
    }
  };
  const roots = graph.start.length > 0 ? graph.start : graph.nodes.slice(0, 1).map((n) => n.ref);
  for (const root of roots) {
    const n = nodes.get(root);
    if (n === undefined || printed.has(root)) continue;
    printed.add(root);
    lines.push(label(n));
    visit(root, '  ');
  }
  // Anything not reached from the start (only through an edge cut by the bound) still shows.
  for (const n of graph.nodes) if (!printed.has(n.ref)) lines.push(label(n));
  if (graph.truncated) lines.push(`(truncated at hop ${graph.truncated_at_hop ?? '?'}: the graph reached the hub's bound)`);
  return lines;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerPivotCommand(program: Command): void {
  program
    .command('pivot <value-or-id>')
    .description('everything you may read that relates to a value or a STIX object, on a running hub (GET /api/pivot)')
    .option('--kind <kind>', 'read the value as this kind only (email-sender-ip, email-from, email-subject, email-attachment-name, c2-hostname, c2-ip, url, file-hash)')
    .option('--depth <n>', 'hops, 1 (default) to 3')
    .option('--collection <id or alias>', 'search this collection (repeat for several; default every collection you may read)', collect)
    .option('--url <url>', 'the running hub (env HUB_URL); credentials from HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD; without it, the local socket of the hub running on --data-dir')
    .option('--login <username>', 'user for --url with Basic authentication (env HUB_USER; password from HUB_PASSWORD)')
    .option('--data-dir <dir>', 'without --url: the data directory of a hub running here on the embedded store (env HUB_DATA_DIR)')
    .option('--json', 'print the graph as JSON')
    .option('--stix', 'print the STIX 2.1 bundle (a grouping and the objects)')
    .action(async (target: string, options: { kind?: string; depth?: string; collection?: string[]; url?: string; login?: string; dataDir?: string; json?: boolean; stix?: boolean }) => {
      try {
        const remote = reachRunningHub(options, 'pivot');
        const url = new URL(`${remote.url.replace(/\/+$/, '')}${HUB_API_PREFIX}/pivot`);
        url.searchParams.set(isStixId(target) ? 'object' : 'value', target);
        if (options.kind !== undefined) url.searchParams.set('kind', options.kind);
        if (options.depth !== undefined) url.searchParams.set('depth', options.depth);
        if (options.collection !== undefined) url.searchParams.set('collections', options.collection.join(','));
        if (options.stix === true) url.searchParams.set('format', 'stix');
        const answer = await requestHub(remote, url);
        if (!answer.ok) throw new Error(describeError(answer.error));
        if (options.json === true || options.stix === true) console.log(JSON.stringify(answer.body, null, 2));
        else for (const line of pivotTree(answer.body as PivotGraphJson)) console.log(line);
      } catch (error) {
        console.error(`taxii-hub: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    });
}
