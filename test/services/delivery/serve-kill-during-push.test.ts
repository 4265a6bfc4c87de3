import path from 'node:path';
import { demoAuth } from '../../http/support/demo-config-hub';
import { HEADERS, NS, inboxMessage, stixPackage } from '../../http/taxii11/support/taxii11-messages';
import { seedPgliteDataDir } from '../../support/test-databases';
import { startReceiver, type LoopbackReceiver } from './support/loopback-receiver';
import { holdFirst, serveKillRig, type ServeKillRig } from './support/serve-kill';

/**
 * kill -9 of the real hub (`taxii-hub serve` on an embedded store) while a subscriber's inbox holds
 * the first push open: started again on the same store, the hub pushes every record the subscriber
 * is entitled to — the interrupted one again, none missing.
 */

const IPS = ['198.51.100.71', '198.51.100.72', '198.51.100.73', '198.51.100.74', '198.51.100.75'];

describe('taxii-hub serve killed with SIGKILL during a push', () => {
  let rig: ServeKillRig;
  let receiver: LoopbackReceiver | undefined;

  beforeAll(() => {
    rig = serveKillRig('taxii-hub-serve-kill-');
  });
  afterAll(async () => {
    await rig.close();
    await receiver?.close();
  });

  const post = async (url: string, user: string, route: string, body: string) => {
    const response = await fetch(`${url}${route}`, { method: 'POST', headers: { ...HEADERS, Authorization: demoAuth(user) }, body });
    return response.text();
  };

  test('every record reaches the subscriber after a restart; the interrupted push is repeated, none is missing', async () => {
    const { answer, firstHeld } = holdFirst('success' as const);
    receiver = await startReceiver(answer);
    // acme-west (carol's organization) may receive pushes on loopback.
    const config = rig.writeConfig('- { id: acme-west, name: ACME West, parent: acme-hq }');
    const dataDir = await seedPgliteDataDir(path.join(rig.dir, 'data'));

    const first = await rig.serve(dataDir, config);
    const subscribed = await post(first.url, 'carol', '/taxii1/collection-management', `<taxii_11:Subscription_Management_Request xmlns:taxii_11="${NS}" message_id="s-1" collection_name="acme-internal" action="SUBSCRIBE">
      <taxii_11:Subscription_Parameters><taxii_11:Response_Type>FULL</taxii_11:Response_Type></taxii_11:Subscription_Parameters>
      <taxii_11:Push_Parameters><taxii_11:Protocol_Binding>urn:taxii.mitre.org:protocol:http:1.0</taxii_11:Protocol_Binding><taxii_11:Address>${receiver.url}</taxii_11:Address><taxii_11:Message_Binding>urn:taxii.mitre.org:message:xml:1.1</taxii_11:Message_Binding></taxii_11:Push_Parameters>
    </taxii_11:Subscription_Management_Request>`);
    expect(subscribed).toContain('status="ACTIVE"');

    expect(await post(first.url, 'alice', '/taxii1/inbox', inboxMessage('acme-internal', stixPackage(IPS[0] ?? '', 'AMBER')))).toContain('status_type="SUCCESS"');
    await firstHeld; // the hub is pushing the first record; the inbox does not answer
    for (const ip of IPS.slice(1)) expect(await post(first.url, 'alice', '/taxii1/inbox', inboxMessage('acme-internal', stixPackage(ip, 'AMBER')))).toContain('status_type="SUCCESS"');
    first.hub.child.kill('SIGKILL');
    expect(await first.hub.exited).toBe('SIGKILL');

    const second = await rig.serve(dataDir, config);
    const arrived = (ip: string) => receiver?.accepted().some((p) => p.body.includes(ip)) ?? false;
    await receiver.until(() => IPS.every(arrived), 30_000, 'every record after the restart');
    second.hub.child.kill('SIGTERM');
    await second.hub.exited;

    expect(receiver.pushes[0]?.answer).toBe('hang');
    expect(receiver.pushes[0]?.body).toContain(IPS[0]);
    expect(IPS.filter(arrived)).toEqual(IPS);
    // The interrupted record came again, in the first push the restarted hub made.
    expect(receiver.accepted()[0]?.body).toContain(IPS[0]);
  }, 120_000); // two `serve` starts on PGlite (migrations, config, policy) and a kill: tens of seconds on a loaded machine
});
