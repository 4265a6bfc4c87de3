import fs from 'node:fs/promises';
import os from 'node:os';
import type { Command } from 'commander';
import { loadHubConfig } from '../config/load-hub-config';
import { openLocalOrRunningHub, remoteHub } from './admin/admin-connection';
import { openRemoteSink } from './import/remote-import-sink';
import { isHubError } from '../domain/errors';
import type { Principal } from '../domain/principal';
import { createLogger } from '../http/ops/logging';
import { createSharingServices } from '../hub-composition';
import type { Database } from '../storage/sql/database';
import { createSqlTenancyStore } from '../storage/sql/sql-tenancy-store';
import { findImportFiles } from './import/import-files';
import { createImportProgress, formatCounts, type TerminalStream } from './import/import-progress';
import { runImport, type ImportSink, type ImportTotals } from './import/import-runner';

interface ImportOptions {
  readonly collection: string;
  readonly as?: string;
  readonly url?: string;
  readonly login?: string;
  readonly databaseUrl?: string;
  readonly dataDir?: string;
  readonly batchSize: string;
  readonly json?: boolean;
}

/** Where the command writes: the summary, one-line errors, and the progress display (standard error). */
export interface ImportOutput {
  out(line: string): void;
  err(line: string): void;
  progress(): TerminalStream;
}

const consoleOutput: ImportOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: () => ({
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    write: (text) => void process.stderr.write(text),
  }),
};

export const DEFAULT_BATCH_SIZE = 500;

/**
 * `taxii-hub import <path> --collection <id> --as <user>`: STIX bundles, TAXII envelopes and
 * unified submissions into one collection, through the same services (validation, access checks,
 * storage) as the HTTP paths, working directly on the database like the local admin commands.
 */
export function registerImportCommand(program: Command, output: ImportOutput = consoleOutput): void {
  program
    .command('import')
    .description('import STIX 2.1 bundles and unified submissions (a file, or a folder of .json files) into a collection')
    .argument('<path>', 'a file, or a folder searched recursively for files ending in .json')
    .requiredOption('--collection <id>', 'the target collection (id or alias)')
    .option('--as <username>', 'without --url: the hub user providing the data (its organization is the provider, its roles apply); also through the local socket of a hub running on the data directory')
    .option('--url <url>', "a running hub to import into over its APIs (env HUB_URL); the credentials' user provides the data: HUB_API_KEY, or --login/HUB_USER with HUB_PASSWORD")
    .option('--login <username>', 'user for --url with Basic authentication (env HUB_USER; password from HUB_PASSWORD)')
    .option('--database-url <url>', 'without --url: the PostgreSQL database (env DATABASE_URL)')
    .option('--data-dir <dir>', 'the embedded store (env HUB_DATA_DIR); while a hub runs on it, the import goes through the hub\'s local socket')
    .option('--batch-size <n>', 'STIX objects stored per call', String(DEFAULT_BATCH_SIZE))
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nExit code: 0 when every file was imported and nothing was rejected, 1 otherwise.\n\nExamples:\n  taxii-hub import ./feeds/ --collection 948f89cd-d3ab-4b2e-bb60-bdffe702b793 --as bob\n  HUB_API_KEY=thk_... taxii-hub import ./feeds/ --collection 948f89cd-d3ab-4b2e-bb60-bdffe702b793 --url http://127.0.0.1:8080')
    .action(async (target: string, options: ImportOptions) => {
      let db: Database | undefined;
      try {
        const batchSize = Number(options.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch-size must be a positive whole number, not "${options.batchSize}"`);
        const files = await findImportFiles(target);
        if (files.length === 0) throw new Error(`${target}: no files ending in .json to import`);
        const remote = remoteHub(options);
        let opened: { sink: ImportSink; collectionId: string };
        if (remote !== undefined) {
          if (options.as !== undefined) throw new Error("--as is for working on the database; with --url the credentials' user provides the data");
          opened = await openRemoteSink(remote, options.collection);
        } else {
          if (options.as === undefined) throw new Error('name the hub user providing the data with --as (or import into a running hub with --url)');
          // A hub running on the embedded store holds it: the import goes through its local socket, as --as.
          const local = await openLocalOrRunningHub(options, process.env, options.as);
          if (local.kind === 'running-hub') opened = await openRemoteSink(local.hub, options.collection);
          else {
            db = local.db;
            opened = await openSink(db, { ...options, as: options.as }, local.settings.configPath);
          }
        }
        const { sink, collectionId } = opened;
        const totals = await runImport({
          files,
          sink,
          collectionId,
          collectionAliases: options.collection === collectionId ? [] : [options.collection],
          batchSize,
          progress: createImportProgress(output.progress(), { totalBytes: files.reduce((sum, f) => sum + f.size, 0), totalFiles: files.length }),
          readFile: (path) => fs.readFile(path, 'utf8'),
        });
        output.out(options.json ? JSON.stringify(summaryJson(totals)) : summaryLine(totals));
        process.exitCode = totals.rejected === 0 && totals.failedFiles === 0 ? 0 : 1;
      } catch (error) {
        output.err(`taxii-hub: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      } finally {
        await db?.close();
      }
    });
}

/** The services bound to the impersonated user and the target collection; refuses as the HTTP paths would. */
async function openSink(db: Database, options: ImportOptions & { readonly as: string }, configPath: string): Promise<{ sink: ImportSink; collectionId: string }> {
  const store = createSqlTenancyStore(db);
  const user = await store.users.getByUsername(options.as);
  if (user === undefined) throw new Error(`there is no user "${options.as}" (--as)`);
  if (user.disabled) throw new Error(`the user "${options.as}" is disabled (--as)`);
  // By id (any case), else by alias, as TAXII names a collection.
  const collection = (await store.collections.get(options.collection.toLowerCase())) ?? (await store.collections.list()).find((c) => c.alias === options.collection);
  if (collection === undefined) throw new Error(`there is no collection ${options.collection} (--collection)`);
  const principal: Principal = {
    userId: user.id,
    username: `${user.username} (cli:${os.userInfo().username})`,
    organizationId: user.organizationId,
    roles: new Set(user.roles),
    via: 'local',
  };
  const logger = createLogger('warn', { write: (message: string) => void process.stderr.write(message) });
  // The hub config's defaults (validity per kind) apply as they do on the running hub.
  const config = await loadHubConfig(configPath);
  const services = createSharingServices({ db, store, logger, ...(config.ok ? { hub: config.config.hub } : {}) });
  const target = await services.objectIngest.openWrite(principal, collection.apiRootId, collection.id).catch((error: unknown) => {
    throw isHubError(error) ? new Error(`${options.as} may not import into collection ${collection.id}: ${error.message}`) : error;
  });
  return {
    sink: {
      submit: (document) => services.submissions.submit(principal, document),
      addObjects: (objects) => services.objectIngest.add(target, objects),
    },
    collectionId: collection.id,
  };
}

function summaryLine(totals: ImportTotals): string {
  return `${formatCounts(totals)} (${totals.files} files, ${totals.failedFiles} failed)`;
}

function summaryJson(totals: ImportTotals) {
  const { created, updated, unchanged, rejected, files, failedFiles } = totals;
  return { created, updated, unchanged, rejected, files, failed_files: failedFiles };
}
