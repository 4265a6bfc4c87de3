import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { submitWave, THREE_WAVES } from '../../support/three-waves';
import { demoAuth } from '../support/demo-config-hub';
import { allowLoopbackDeliveries, DELIVERY_TEST_MS, startListeningDemoHub, type ListeningDemoHub } from '../support/listening-demo-hub';
import { startReceiver, type Receiver } from './campaign-activity-receiver';

/**
 * Early warning over the scripted three-wave scenario (test/support/three-waves.ts): when Globex
 * reports wave 3 in the alliance exchange, its sender IP and C2 host join the candidates that waves
 * 1 and 2 started in the ISAC feed; the webhooks on the ISAC feed of wave 1's provider (ACME) and of
 * Globex hear of it; Vandelay and Initech, who may not read the alliance's indicator, do not.
 */

const ISAC = DEMO_COLLECTIONS.isacFeed;

describe.each(testEngines())('early warning in the three-wave scenario on %s', (engine) => {
  let hub: ListeningDemoHub;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    hub = await startListeningDemoHub(engine, {
      delivery: true,
      prepare: async (store) => {
        for (const org of ['acme-hq', 'globex-hq', 'vandelay', 'initech']) await allowLoopbackDeliveries(org)(store);
      },
    });
  });
  afterAll(async () => {
    for (const r of receivers) await r.close();
    await hub.close();
  });

  const webhook = async (username: string, extra: Record<string, unknown> = {}) => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const response = await fetch(`${hub.url}/api/webhooks`, {
      method: 'POST',
      headers: { Authorization: demoAuth(username), 'Content-Type': 'application/json' },
      body: JSON.stringify({ collection: ISAC, url: receiver.url, ...extra }),
    });
    expect(response.status).toBe(201);
    receiver.setSecret(String(((await response.json()) as { secret: string }).secret));
    return receiver;
  };

  test('wave 3 joining the sender-IP and C2-host candidates reaches wave 1’s provider and Globex, not those who may not read it', async () => {
    // ACME's webhook keeps C2 host names only: notices pass a kinds filter (as sightings do), whatever the indicator's kind.
    const acme = await webhook('alice', { kinds: ['c2-hostname'] });
    const globex = await webhook('dave');
    const vandelay = await webhook('operator', { organization: 'vandelay', user: 'grace' });
    const initech = await webhook('frank');
    const ids = new Map<string, string[]>();
    for (const wave of THREE_WAVES) {
      ids.set(wave.name, await submitWave(hub.composed.app, wave));
      await hub.composed.analysis.indexer.catchUp();
    await hub.composed.analysis.indexer.heard();
    }
    const [w1sender, , w1host] = ids.get('wave 1') ?? [];
    const [w2sender, , w2url] = ids.get('wave 2') ?? [];
    const [w3host, w3sender] = ids.get('wave 3') ?? [];

    for (const receiver of [acme, globex]) {
      await receiver.until(() => receiver.notices().some((e) => e.object_id === w3sender) && receiver.notices().some((e) => e.object_id === w3host));
      expect(receiver.notices().find((e) => e.object_id === w3sender)?.object).toMatchObject({
        indicator: { id: w3sender, collection: DEMO_COLLECTIONS.allianceExchange, kind: 'email-sender-ip', value: '203.0.113.45', tlp: 'amber', provider: 'globex-hq' },
        joins: 'candidate',
        members: [w1sender, w2sender].sort(),
        shared: [{ kind: 'email-sender-ip', value: '203.0.113.45' }],
        size: { indicators: 3, submissions: 3 },
      });
      expect(receiver.notices().find((e) => e.object_id === w3host)?.object).toMatchObject({ joins: 'candidate', members: [w1host, w2url].sort() });
    }
    // The last waves are GREEN in the ISAC feed: once Vandelay's and Initech's webhooks have them, every earlier event reached them.
    const [noise] = ids.get('noise') ?? [];
    for (const receiver of [vandelay, initech]) {
      await receiver.until(() => receiver.events.some((e) => e.object_id === noise));
      expect(JSON.stringify(receiver.events)).not.toContain(w3sender ?? 'none');
      expect(JSON.stringify(receiver.events)).not.toContain(w3host ?? 'none');
    }
    expect(acme.events.some((e) => e.operation === 'created' && e.object_id === w1sender)).toBe(false);
    for (const r of receivers) expect(r.refused).toEqual([]);
  }, DELIVERY_TEST_MS);
});
