import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main';
import { overridesFromFlags } from '../../src/cli/serve-command';
import { SETTING_DEFINITIONS } from '../../src/config/settings';

function serveCommand() {
  const program = buildProgram();
  const serve = program.commands.find((command) => command.name() === 'serve');
  if (!serve) throw new Error('no serve command');
  return { program, serve };
}

describe('taxii-hub serve', () => {
  test('--help lists every setting with its environment variable and default', async () => {
    const { program, serve } = serveCommand();
    let help = '';
    serve.configureOutput({ writeOut: (text) => (help += text), writeErr: (text) => (help += text) });
    const outcome: unknown = await program.parseAsync(['node', 'taxii-hub', 'serve', '--help']).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(CommanderError);
    const flat = help.replace(/\s+/g, ' '); // commander wraps to the terminal width
    for (const def of SETTING_DEFINITIONS) {
      if (def.flag) {
        const entry = flat.slice(flat.indexOf(`--${def.flag} <${def.argName}>`));
        expect(entry).toContain(`(env ${def.env}, default ${def.defaultText})`);
      } else {
        expect(flat).toContain(`${def.env} ${def.description} (default ${def.defaultText})`);
      }
    }
    for (const flag of ['--port', '--host', '--database-url', '--data-dir', '--config', '--log-level', '--body-limit', '--trust-proxy', '--workers']) expect(help).toContain(flag);
  });

  test('flags are mapped to the settings they override', () => {
    expect(overridesFromFlags({ port: '9000', databaseUrl: 'postgres://h/db', config: 'hub.yaml', bodyLimit: '2mb', trustProxy: 'loopback', dataDir: 'd', logLevel: 'warn', host: '::', workers: '4' })).toEqual({
      port: '9000',
      databaseUrl: 'postgres://h/db',
      configPath: 'hub.yaml',
      bodyLimitBytes: '2mb',
      trustProxy: 'loopback',
      dataDir: 'd',
      logLevel: 'warn',
      host: '::',
      workers: '4',
    });
  });

  test('invalid settings are each reported and the command fails with exit code 1', async () => {
    const { program } = serveCommand();
    const printed: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    try {
      const outcome: unknown = await program.parseAsync(['node', 'taxii-hub', 'serve', '--port', '99999', '--log-level', 'chatty']).catch((e: unknown) => e);
      expect(outcome).toBeInstanceOf(CommanderError);
      expect((outcome as CommanderError).exitCode).toBe(1);
      expect(printed).toEqual(['taxii-hub: --port: 99999 is out of range (0-65535)', expect.stringMatching(/^taxii-hub: --log-level: "chatty" is not a log level/)]);
    } finally {
      error.mockRestore();
    }
  });

  test('an unreachable database is reported on one line without the password, exit code 1', async () => {
    const { program } = serveCommand();
    const printed: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    try {
      const outcome: unknown = await program
        .parseAsync(['node', 'taxii-hub', 'serve', '--port', '0', '--log-level', 'silent', '--database-url', 'postgres://hub:hunter2@127.0.0.1:1/hub'])
        .catch((e: unknown) => e);
      expect((outcome as CommanderError).exitCode).toBe(1);
      expect(printed).toEqual(['taxii-hub: cannot reach the database at postgres://hub@127.0.0.1:1/hub (ECONNREFUSED)']);
    } finally {
      error.mockRestore();
    }
  });

  test('--workers 2 on the embedded store is refused before anything is opened, saying why and what to do', async () => {
    const { program } = serveCommand();
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-workers-')), 'data');
    const printed: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((line: string) => void printed.push(line));
    const databaseUrl = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const outcome: unknown = await program.parseAsync(['node', 'taxii-hub', 'serve', '--workers', '2', '--data-dir', dataDir, '--port', '0']).catch((e: unknown) => e);
      expect((outcome as CommanderError).exitCode).toBe(1);
      expect(printed).toEqual([
        'taxii-hub: --workers: 2 workers need a PostgreSQL server: the embedded store (PGlite) can be opened by only one process at a time ' +
          '(its data directory is locked while a hub runs). Set DATABASE_URL (or --database-url) to run several workers, or use 1 worker.',
      ]);
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
      error.mockRestore();
      fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
    }
  });
});
