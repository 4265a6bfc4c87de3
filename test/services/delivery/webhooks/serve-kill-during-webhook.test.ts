import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServe, type ServeProcess } from '../../../cli/serve/cluster-process';
import { demoAuth } from '../../../http/support/demo-config-hub';
import { seedPgliteDataDir } from '../../../support/test-databases';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * kill -9 of the real hub (`taxii-hub serve` on an embedded store) while a webhook receiver holds the
 * first delivery open: started again on the same store, the hub delivers every event the webhook is
 * entitled to — the interrupted ones again, none skipped, in position order, signed.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const ACME_INTERNAL = '948f89cd-d3ab-4b2e-bb60-bdffe702b793';
const IPS = ['198.51.100.81', '198.51.100.82', '198.51.100.83', '198.51.100.84', '198.51.100.85'];

describe('taxii-hub serve killed with SIGKILL during a webhook delivery', () => {
  let dir: string;
  let receiver: WebhookReceiver | undefined;
  const hubs: ServeProcess[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxii-hub-webhook-kill-'));
  });
  afterAll(async () => {
    for (const hub of hubs) {
      if (hub.child.exitCode === null && hub.child.signalCode === null) {
        hub.child.kill('SIGKILL');
        await hub.exited;
      }
    }
    await receiver?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The demo configuration, with acme-hq (alice is its org-admin) allowed to deliver to loopback. */
  function writeConfig(): string {
    const config = path.join(dir, 'config');
    fs.cpSync(path.join(ROOT, 'collections'), config, { recursive: true });
    const orgs = path.join(config, 'organizations.yaml');
    const text = fs.readFileSync(orgs, 'utf8');
    const hq = '- { id: acme-hq, name: ACME Holdings }';
    if (!text.includes(hq)) throw new Error('the demo organizations changed: update this test');
    fs.writeFileSync(orgs, text.replace(hq, '- { id: acme-hq, name: ACME Holdings, delivery_allow_list: ["127.0.0.1/32"] }'));
    return config;
  }

  async function serve(dataDir: string, config: string): Promise<{ hub: ServeProcess; url: string }> {
    const hub = startServe(['--workers', '1', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir, '--config', config], { DATABASE_URL: undefined, WORKERS: undefined });
    hubs.push(hub);
    const line = await hub.waitForLog((l) => /^taxii-hub listening on/.test(l.msg ?? '') && typeof l.url === 'string', { timeoutMs: 60_000 });
    return { hub, url: String(line.url) };
  }

  const post = async (url: string, route: string, body: unknown) => {
    const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: demoAuth('alice') }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const submit = (url: string, ip: string) => post(url, '/api/submissions', { collection: ACME_INTERNAL, valid_from: '2026-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: ip }] });

  test('every event reaches the receiver after a restart; the interrupted delivery is repeated, none is skipped', async () => {
    let held = false;
    let onHeld: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (onHeld = resolve));
    receiver = await startWebhookReceiver(() => {
      if (held) return 'ok';
      held = true;
      onHeld();
      return 'hang';
    });
    const config = writeConfig();
    const dataDir = await seedPgliteDataDir(path.join(dir, 'data'));

    const first = await serve(dataDir, config);
    const created = await post(first.url, '/api/webhooks', { collection: 'acme-internal', url: receiver.url, kinds: ['c2-ip'] });
    expect(created.status).toBe(201);
    receiver.secrets = [String(created.body.secret)];

    expect((await submit(first.url, IPS[0] ?? '')).status).toBe(200);
    await firstHeld; // the hub is delivering the first event; the receiver does not answer
    for (const ip of IPS.slice(1)) expect((await submit(first.url, ip)).status).toBe(200);
    first.hub.child.kill('SIGKILL');
    expect(await first.hub.exited).toBe('SIGKILL');

    const second = await serve(dataDir, config);
    const carries = (ip: string) => (e: { object?: Record<string, unknown> }) => String(e.object?.pattern ?? '').includes(`'${ip}'`);
    const arrived = (ip: string) => receiver?.acceptedEvents().some(carries(ip)) ?? false;
    await receiver.until(() => IPS.every(arrived), 30_000, 'every event after the restart');
    second.hub.child.kill('SIGTERM');
    await second.hub.exited;

    expect(receiver.received[0]?.answer).toBe('hang');
    expect(receiver.received[0]?.payload.events.some(carries(IPS[0] ?? ''))).toBe(true);
    expect(IPS.filter(arrived)).toEqual(IPS);
    // The interrupted event came again first, every request verified, positions never went back.
    expect(receiver.accepted()[0]?.payload.events.some(carries(IPS[0] ?? ''))).toBe(true);
    expect(receiver.received.every((r) => r.verifiedWith === receiver?.secrets[0])).toBe(true);
    const positions = receiver.acceptedEvents().map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  }, 120_000); // two `serve` starts on PGlite and a kill: tens of seconds on a loaded machine
});
