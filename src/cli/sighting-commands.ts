import type { Command } from 'commander';
import { action } from './admin-commands';

const enc = encodeURIComponent;
const list = (value: unknown): string[] | undefined => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);
// A number the schema then judges: "abc" becomes NaN, sent as null, and refused with the field named.
const integer = (value: unknown): number | undefined => (typeof value === 'string' ? Number(value) : undefined);
const defined = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
const indicatorPath = (collection: unknown, id: unknown) => `/collections/${enc(collection as string)}/indicators/${enc(id as string)}`;

const MARKING_HELP = 'TLP of the report: clear, green, amber (default), amber+strict or red';
const RECIPIENTS_HELP = 'TLP:RED only: comma-separated organizations that may read it (the indicator\'s provider always may)';

/**
 * `taxii-hub sighting …`: tell an indicator's provider (and whoever the marking reaches) that it was
 * seen, over the hub API (docs/sightings.md). Local mode acts as the operator, who reports for no
 * organization: reporting needs --url and a member's credentials; the figures work either way.
 */
export function registerSightingCommands(program: Command): void {
  const sighting = program.command('sighting').description('report that a shared indicator was seen, and read what was reported (hub API)');
  action(
    sighting
      .command('add <collection> <indicator-id>')
      .description('report a sighting of an indicator you may read (a consumer; a provider of its own); no log content is sent')
      .option('--count <n>', 'how many times it was seen (default 1)')
      .option('--first-seen <timestamp>', 'when it was first seen, e.g. 2026-12-01T08:15:00Z')
      .option('--last-seen <timestamp>', 'when it was last seen')
      .option('--marking <tlp>', MARKING_HELP)
      .option('--recipients <list>', RECIPIENTS_HELP),
    ([collection, id], o) => ({
      api: 'hub',
      method: 'post',
      path: `/collections/${enc(collection as string)}/sightings`,
      body: defined({
        sightings: [defined({ indicator: id, count: integer(o.count), first_seen: o.firstSeen, last_seen: o.lastSeen })],
        marking: o.marking,
        recipients: list(o.recipients),
      }),
    }),
  );
  action(sighting.command('show <collection> <indicator-id>').description("an indicator's sightings and false-positive reports, as you may read them"), ([collection, id]) => ({
    api: 'hub', method: 'get', path: `${indicatorPath(collection, id)}/sightings`,
  }));
}

/** `taxii-hub indicator false-positive …`, added to the indicator group (admin-commands.ts). */
export function addFalsePositiveCommand(indicator: Command): void {
  action(
    indicator
      .command('false-positive <collection> <id>')
      .description("report an indicator as a false positive to its provider (a STIX opinion, strongly-disagree)")
      .requiredOption('--explanation <text>', 'why, e.g. the address is our own mail relay (1-1000 characters)')
      .option('--marking <tlp>', MARKING_HELP)
      .option('--recipients <list>', RECIPIENTS_HELP),
    ([collection, id], o) => ({
      api: 'hub', method: 'post', path: `${indicatorPath(collection, id)}/false-positive`, body: defined({ explanation: o.explanation, marking: o.marking, recipients: list(o.recipients) }),
    }),
  );
}
