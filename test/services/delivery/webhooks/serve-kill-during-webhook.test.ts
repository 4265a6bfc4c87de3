import path from 'node:path';
import { demoAuth } from '../../../http/support/demo-config-hub';
import { seedPgliteDataDir } from '../../../support/test-databases';
import { holdFirst, serveKillRig, type ServeKillRig } from '../support/serve-kill';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

/**
 * kill -9 of the real hub (`taxii-hub serve` on an embedded store) while a webhook receiver holds the
 * first delivery open: started again on the same store, the hub delivers every event the webhook is
 * entitled to — the interrupted ones again, none skipped, in position order, signed.
 */

const ACME_INTERNAL = '948f89cd-d3ab-4b2e-bb60-bdffe702b793';
const IPS = ['198.51.100.81', '198.51.100.82', '198.51.100.83', '198.51.100.84', '198.51.100.85'];

describe('taxii-hub serve killed with SIGKILL during a webhook delivery', () => {
  let rig: ServeKillRig;
  let receiver: WebhookReceiver | undefined;

  beforeAll(() => {
    rig = serveKillRig('taxii-hub-webhook-kill-');
  });
  afterAll(async () => {
    await rig.close();
    await receiver?.close();
  });

  const post = async (url: string, route: string, body: unknown) => {
    const response = await fetch(`${url}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: demoAuth('alice') }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const submit = (url: string, ip: string) => post(url, '/api/submissions', { collection: ACME_INTERNAL, valid_from: '2026-02-01T00:00:00Z', indicators: [{ kind: 'c2-ip', value: ip }] });

  test('every event reaches the receiver after a restart; the interrupted delivery is repeated, none is skipped', async () => {
    const { answer, firstHeld } = holdFirst('ok' as const);
    receiver = await startWebhookReceiver(answer);
    // acme-hq (alice is its org-admin) may deliver to loopback.
    const config = rig.writeConfig('- { id: acme-hq, name: ACME Holdings }');
    const dataDir = await seedPgliteDataDir(path.join(rig.dir, 'data'));

    const first = await rig.serve(dataDir, config);
    const created = await post(first.url, '/api/webhooks', { collection: 'acme-internal', url: receiver.url, kinds: ['c2-ip'] });
    expect(created.status).toBe(201);
    receiver.secrets = [String(created.body.secret)];

    expect((await submit(first.url, IPS[0] ?? '')).status).toBe(200);
    await firstHeld; // the hub is delivering the first event; the receiver does not answer
    for (const ip of IPS.slice(1)) expect((await submit(first.url, ip)).status).toBe(200);
    first.hub.child.kill('SIGKILL');
    expect(await first.hub.exited).toBe('SIGKILL');

    const second = await rig.serve(dataDir, config);
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
