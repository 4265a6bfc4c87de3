import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServe, type ServeProcess } from '../../../cli/serve/cluster-process';

/**
 * For the tests that kill -9 the real hub (`taxii-hub serve` on an embedded store) during a delivery
 * and start it again on the same store: a scratch folder, the demo configuration with one organization
 * allowed to deliver to loopback, the hub's starts, and a receiver answer that holds the first request.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

export interface ServeKillRig {
  /** The scratch folder. */
  readonly dir: string;
  /** The demo configuration (in the scratch folder), with the organization this line of organizations.yaml declares allowed to deliver to 127.0.0.1/32. */
  writeConfig(organizationLine: string): string;
  /** `taxii-hub serve` (one worker, any port, embedded store) on this data directory and configuration, once it listens. */
  serve(dataDir: string, config: string): Promise<{ hub: ServeProcess; url: string }>;
  /** Kills every hub still running, removes the scratch folder. */
  close(): Promise<void>;
}

export function serveKillRig(prefix: string): ServeKillRig {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const hubs: ServeProcess[] = [];
  return {
    dir,
    writeConfig(organizationLine) {
      const config = path.join(dir, 'config');
      fs.cpSync(path.join(ROOT, 'collections'), config, { recursive: true });
      const orgs = path.join(config, 'organizations.yaml');
      const text = fs.readFileSync(orgs, 'utf8');
      if (!text.includes(organizationLine)) throw new Error('the demo organizations changed: update this test');
      fs.writeFileSync(orgs, text.replace(organizationLine, `${organizationLine.slice(0, -2)}, delivery_allow_list: ["127.0.0.1/32"] }`));
      return config;
    },
    async serve(dataDir, config) {
      const hub = startServe(['--workers', '1', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--config', config], { DATABASE_URL: undefined, WORKERS: undefined });
      hubs.push(hub);
      const line = await hub.waitForLog((l) => /^taxii-hub listening on/.test(l.msg ?? '') && typeof l.url === 'string', { timeoutMs: 60_000 });
      return { hub, url: String(line.url) };
    },
    async close() {
      for (const hub of hubs) {
        if (hub.child.exitCode === null && hub.child.signalCode === null) {
          hub.child.kill('SIGKILL');
          await hub.exited;
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A receiver's answers: 'hang' for the first request (firstHeld resolves then), `then` for every later one. */
export function holdFirst<A>(then: A): { answer: () => A | 'hang'; firstHeld: Promise<void> } {
  let held = false;
  let onHeld: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => (onHeld = resolve));
  return {
    firstHeld,
    answer: () => {
      if (held) return then;
      held = true;
      onHeld();
      return 'hang';
    },
  };
}
