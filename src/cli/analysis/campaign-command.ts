import type { Command } from 'commander';
import { HUB_API_PREFIX } from '../../http/route-table';
import { describeError, requestHub } from '../admin/hub-request';
import { reachRunningHub } from '../admin/running-hub';

/**
 * `taxii-hub campaign candidates | confirm | reject` (issue 15 §2): the campaign candidates of the
 * caller on a running hub (GET /api/campaign-candidates), and the analyst's decisions. Candidates
 * print one block each (id, status, sizes, what connects the members, one line per member); --json
 * prints the answer.
 */

interface MemberJson { collection: string; id: string; kind?: string; value?: string; tlp: string; provider?: string; first_added: string }
export interface CandidateListJson {
  candidates: {
    id: string;
    status: string;
    sizes: { indicators: number; submissions: number; providers: number; collections: number };
    first_added: string;
    last_added: string;
    shared: { kind: string; value: string }[];
    members: MemberJson[];
    campaign?: { id: string; name: string; new_members: string[] };
    rejection?: { reason?: string };
  }[];
  next?: string;
}

/** The candidates as text lines. */
export function candidateLines(list: CandidateListJson): string[] {
  if (list.candidates.length === 0) return ['no campaign candidates'];
  const lines: string[] = [];
  for (const c of list.candidates) {
    const s = c.sizes;
    const status = c.status === 'in-campaign' && c.campaign !== undefined ? `in campaign "${c.campaign.name}" (${c.campaign.id}), ${c.campaign.new_members.length} new` : c.status === 'rejected' && c.rejection?.reason !== undefined ? `rejected: ${c.rejection.reason}` : c.status;
    lines.push(`${c.id}  ${status}`);
    lines.push(`  ${s.indicators} indicators, ${s.submissions} submissions, ${s.providers} providers, ${s.collections} collections; ${c.first_added} .. ${c.last_added}`);
    lines.push(`  shared: ${c.shared.map((v) => `${v.kind} ${v.value}`).join(', ')}`);
    for (const m of c.members) lines.push(`  - ${m.kind ?? 'indicator'} ${m.value ?? m.id} [${m.collection}, TLP:${m.tlp.toUpperCase()}${m.provider !== undefined ? `, by ${m.provider}` : ''}] ${m.id}`);
  }
  if (list.next !== undefined) lines.push(`more: --after ${list.next}`);
  return lines;
}

interface RemoteOptions { url?: string; login?: string; dataDir?: string; json?: boolean }

function remoteOptions(command: Command): Command {
  return command
    .option('--url <url>', 'the running hub (env HUB_URL); credentials from HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD')
    .option('--login <username>', 'user for --url with Basic authentication (env HUB_USER; password from HUB_PASSWORD)')
    .option('--data-dir <dir>', 'without --url: the data directory of a hub running here on the embedded store, reached through its local socket (env HUB_DATA_DIR)')
    .option('--json', 'print the answer as JSON');
}

/** Sends one request to the hub API and prints the answer (`text` renders it without --json). */
async function send(options: RemoteOptions, path: string, init: { method?: string; body?: object }, text: (body: unknown) => string[]): Promise<void> {
  try {
    const remote = reachRunningHub(options, 'campaign');
    const url = `${remote.url.replace(/\/+$/, '')}${HUB_API_PREFIX}${path}`;
    const answer = await requestHub(remote, url, init.body !== undefined ? { method: init.method ?? 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) } : {});
    if (!answer.ok) throw new Error(describeError(answer.error));
    if (options.json === true) console.log(JSON.stringify(answer.body, null, 2));
    else for (const line of text(answer.body)) console.log(line);
  } catch (error) {
    console.error(`taxii-hub: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

const enc = encodeURIComponent;

export function registerCampaignCommand(program: Command): void {
  const campaign = program.command('campaign').description('campaign candidates on a running hub: indicators that share values, grouped over what you may read');
  remoteOptions(
    campaign
      .command('candidates')
      .description('your campaign candidates (GET /api/campaign-candidates), most recently active first')
      .option('--status <status>', 'open (default), rejected, in-campaign or all')
      .option('--indicator <id>', 'only the candidate(s) holding this indicator (STIX id)')
      .option('--limit <n>', 'at most this many (default 50, at most 500)')
      .option('--after <cursor>', "the next page (the previous answer's more: --after …)"),
  ).action(async (options: RemoteOptions & { status?: string; indicator?: string; limit?: string; after?: string }) => {
    const query = (['status', 'indicator', 'limit', 'after'] as const).flatMap((name) => (options[name] !== undefined ? [`${name}=${enc(options[name] as string)}`] : []));
    await send(options, `/campaign-candidates${query.length > 0 ? `?${query.join('&')}` : ''}`, {}, (body) => candidateLines(body as CandidateListJson));
  });
  remoteOptions(
    campaign
      .command('confirm <candidate>')
      .description('publish a candidate as a STIX campaign with indicates relationships (an operator, or the org-admin of the organization providing every member)')
      .requiredOption('--name <name>', "the campaign's name")
      .option('--description <text>', "the campaign's description")
      .option('--campaign <id>', 'add the members to this existing campaign (STIX id) instead'),
  ).action(async (candidate: string, options: RemoteOptions & { name: string; description?: string; campaign?: string }) => {
    const body = { name: options.name, ...(options.description !== undefined ? { description: options.description } : {}), ...(options.campaign !== undefined ? { campaign: options.campaign } : {}) };
    await send(options, `/campaign-candidates/${enc(candidate)}/confirm`, { body }, (answer) => {
      const a = answer as { campaign: { id: string; name: string }; marking: { tlp: string }; written: { collection: string; type: string; id: string; tlp: string }[] };
      return [`campaign "${a.campaign.name}" ${a.campaign.id} (TLP:${a.marking.tlp.toUpperCase()})`, ...a.written.map((w) => `  wrote ${w.type} ${w.id} in ${w.collection} (TLP:${w.tlp.toUpperCase()})`)];
    });
  });
  remoteOptions(campaign.command('reject <candidate>').description('reject a candidate: it stays rejected for every reader as it grows').option('--reason <text>', 'why')).action(
    async (candidate: string, options: RemoteOptions & { reason?: string }) => {
      await send(options, `/campaign-candidates/${enc(candidate)}/reject`, { body: options.reason !== undefined ? { reason: options.reason } : {} }, (answer) => {
        const a = answer as { candidate: string; members: string[] };
        return [`rejected ${a.candidate} (${a.members.length} members)`];
      });
    },
  );
}
