import type { Command } from 'commander';
import { createLogLineReader } from '../../domain/matching/log-formats';
import type { TerminalStream } from '../import/import-progress';
import { remoteHub } from '../admin/remote-hub';
import { jsonLinesOutput, tableOutput, type CollectionName } from './hit-output';
import { openChunks } from './line-source';
import { findMatchInputs } from './match-inputs';
import { declareMatchCommand, defaultMirrorDir, EXIT_ERROR, EXIT_HIT, EXIT_NO_HIT, type MatchOptions } from './match-options';
import { loadMirror } from './mirror';
import { scanInput, type ScanCounters } from './scan-input';
import { createScanProgress } from './scan-progress';
import { createSightingTally, reportSightings } from './sighting-report';
import { syncWithProgress } from './sync-messages';

/** A collection the mirror follows: its id and, when it has one, its alias. */
interface MirroredCollection {
  readonly id: string;
  readonly alias?: string;
}

/** Where the command writes: hits (standard output), messages (standard error) and the progress line. */
export interface MatchIo {
  out(text: string): void;
  err(text: string): void;
  progress(): TerminalStream;
  /** Whether standard input is a terminal (then nothing is piped in to scan). */
  stdinIsTty(): boolean;
}

const consoleIo: MatchIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  progress: () => ({ isTTY: process.stderr.isTTY === true, columns: process.stderr.columns, write: (text) => void process.stderr.write(text) }),
  stdinIsTty: () => process.stdin.isTTY === true,
};

/** `taxii-hub match [paths...]`: sync the mirror, scan the inputs, print the hits, report them when asked. */
export function registerMatchCommand(program: Command, io: MatchIo = consoleIo): void {
  declareMatchCommand(program.command('match')).action(async (paths: string[], options: MatchOptions) => {
    // `taxii-hub match … | head`: once the reader has gone, stop quietly. Only hits go to standard output, so there was one.
    const closedPipe = (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' ? process.exit(EXIT_HIT) : undefined);
    process.stdout.on('error', closedPipe);
    try {
      process.exitCode = await runMatch(paths, options, io);
    } finally {
      process.stdout.off('error', closedPipe);
    }
  });
}

export async function runMatch(paths: readonly string[], options: MatchOptions, io: MatchIo): Promise<number> {
  const started = Date.now();
  const note = (text: string) => (options.quiet ? undefined : io.err(text));
  try {
    // The hub is needed only to sync and to report: --no-sync without --report runs with no URL or credentials at all.
    const remote = options.sync || options.report ? remoteHub(options) : undefined;
    if (options.report && remote === undefined) throw new Error('--report sends the sightings to the hub: give --url (or HUB_URL) and credentials');
    if (paths.length === 0 && io.stdinIsTty()) throw new Error("give log files or folders to scan, or pipe a log into standard input ('-')");
    const dir = options.mirror ?? defaultMirrorDir();
    let errors = 0;
    if (options.sync) {
      if (remote === undefined) throw new Error('give --url (or HUB_URL) and credentials to sync the mirror, or --no-sync to scan with the mirror as it is');
      try {
        await syncWithProgress({ ...remote, dir, full: options.fullSync === true, ...(options.collection ? { collections: options.collection } : {}) }, io, options.quiet === true);
      } catch (error) {
        // A hub that cannot be reached must not blind the scan: the mirror as last synced still finds what it held.
        errors += 1;
        io.err(`taxii-hub: the mirror could not be synced (${messageOf(error)}); scanning with the mirror as last synced`);
      }
    }
    const mirror = await loadMirror(dir);
    const wanted = wantedCollections(options.collection, mirror.collections);
    const nameOf = collectionNames(mirror.collections);

    const { inputs, problems } = await findMatchInputs(paths);
    errors += problems.length;
    for (const problem of problems) io.err(`taxii-hub: ${problem}`);
    const output = options.json ? jsonLinesOutput(io.out, nameOf) : tableOutput(io.out, nameOf);
    const tally = createSightingTally();
    const counters: ScanCounters = { lines: 0 };
    const totalBytes = inputs.every((i) => i.size !== undefined) ? inputs.reduce((sum, i) => sum + (i.size ?? 0), 0) : undefined;
    const progress = createScanProgress(options.quiet ? { isTTY: false, write() {} } : io.progress(), { ...(totalBytes !== undefined ? { bytes: totalBytes } : {}), inputs: inputs.length });
    let bytesDone = 0;
    let hits = 0;
    let inputsDone = 0;

    for (const input of inputs) {
      const onBytes = (bytes: number) => {
        bytesDone += bytes;
        progress.update({ bytesDone, lines: counters.lines, hits, inputsDone });
      };
      // Not an error: `taxii-hub match /var/log/` meets wtmp and lastlog.
      const onBinary = () => {
        progress.clear();
        note(`${input.name}: skipped, not a text log (binary)`);
      };
      const chunks = openChunks(input.path, onBytes, onBinary);
      try {
        await scanInput(input, chunks, {
          index: mirror.index,
          reader: createLogLineReader(options.format),
          nowMs: started,
          counters,
          onHit(found) {
            if (wanted !== undefined && !wanted.has(found.hit.entry.collection)) return;
            hits += 1;
            output.hit(found);
            if (options.report) tally.add(found);
          },
        });
      } catch (error) {
        errors += 1;
        progress.clear();
        io.err(`taxii-hub: ${input.name}: ${messageOf(error)}`);
      }
      inputsDone += 1;
      progress.clear();
      output.flush();
    }
    progress.clear();
    const seconds = (Date.now() - started) / 1000;
    note(`${counters.lines.toLocaleString('en')} lines read in ${inputs.length} input${inputs.length === 1 ? '' : 's'}: ${hits} hit${hits === 1 ? '' : 's'} (${seconds.toFixed(1)} s${errors > 0 ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''})`);

    if (options.report && remote !== undefined) {
      for (const outcome of await reportSightings(remote, tally, options.marking)) {
        const name = nameOf(outcome.collection);
        for (const { indicator, reason } of outcome.refused) io.err(`taxii-hub: not reported to collection ${name}: ${indicator} ${reason}`);
        if (outcome.error !== undefined) io.err(`taxii-hub: reporting to collection ${name} failed after ${outcome.reported} sightings: ${outcome.error}`);
        if (outcome.error !== undefined || outcome.refused.length > 0) errors += 1;
        const markings = outcome.markings.map((m) => `TLP:${m.toUpperCase()}`).join(', ');
        if (outcome.reported > 0) note(`reported ${outcome.reported} sighting${outcome.reported === 1 ? '' : 's'} to collection ${name}${markings === '' ? '' : ` (${markings})`}`);
      }
    }
    return errors > 0 ? EXIT_ERROR : hits > 0 ? EXIT_HIT : EXIT_NO_HIT;
  } catch (error) {
    io.err(`taxii-hub: ${messageOf(error)}`);
    return EXIT_ERROR;
  }
}

/** The collection ids --collection names (ids or aliases, any case); undefined: every collection. */
function wantedCollections(named: readonly string[] | undefined, collections: readonly MirroredCollection[]): Set<string> | undefined {
  if (named === undefined || named.length === 0) return undefined;
  const wanted = new Set<string>();
  for (const name of named) {
    const lower = name.toLowerCase();
    const found = collections.find((c) => c.id.toLowerCase() === lower || c.alias?.toLowerCase() === lower);
    if (found === undefined) throw new Error(`the mirror holds no collection "${name}" (--collection takes a collection's id or alias; sync it first)`);
    wanted.add(found.id);
  }
  return wanted;
}

function collectionNames(collections: readonly MirroredCollection[]): CollectionName {
  const names = new Map(collections.map((c) => [c.id, c.alias ?? c.id]));
  return (id) => names.get(id) ?? id;
}

function messageOf(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === 'ENOENT') return 'there is no such file';
  if (code === 'EACCES') return 'permission denied';
  return typeof message === 'string' ? message : String(error);
}
