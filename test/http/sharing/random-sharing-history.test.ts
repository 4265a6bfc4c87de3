import { markingRefFor } from '../../../src/domain/tlp';
import { TLP_LEVELS, type TlpLevel } from '../../../src/domain/tenancy';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import { relationship, sharingClient, stixIndicator, unreadableReferences } from './sharing-fixture';

/**
 * The sharing rules as invariants over a random history: providers of the alliance exchange (hybrid:
 * acme-hq over acme-east, globex-hq over globex-lab, the head offices linked) submit, re-submit,
 * post new versions and relationships under random markings. Whatever the hub accepted, afterwards
 * (1) every consumer that may read some version of an object may read its latest version, and
 * (2) nothing a consumer reads names a stored object it may not read.
 */
const PROVIDERS = [
  { user: 'alice', org: 'acme-hq' },
  { user: 'bob', org: 'acme-east' },
  { user: 'dave', org: 'globex-hq' },
  { user: 'erin', org: 'globex-lab' },
] as const;
const CONSUMERS = ['alice', 'bob', 'dave', 'erin'];
const ORGS = PROVIDERS.map((p) => p.org);

function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

describe.each(testEngines())('a random sharing history keeps the rules, on %s', (engine) => {
  let hub: DemoConfigHub;
  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
  });
  afterAll(() => hub.close());

  test('120 random writes: every reader of any version reads the latest, and nothing names an unreadable object', async () => {
    const random = prng(20261206);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const client = sharingClient(hub, DEMO_COLLECTIONS.allianceExchange);
    const posted: { id: string; user: string; object: Record<string, unknown> }[] = [];
    const marking = (): { tlp: TlpLevel; recipients: string[] } => {
      const tlp = pick(TLP_LEVELS);
      return { tlp, recipients: tlp === 'red' ? ORGS.filter(() => random() < 0.5).concat(pick(ORGS)).filter((o, i, a) => a.indexOf(o) === i).sort() : [] };
    };
    let day = 2;
    for (let step = 0; step < 120; step++) {
      const provider = pick(PROVIDERS);
      const m = marking();
      const choice = random();
      if (choice < 0.35) {
        const value = `198.51.100.${Math.floor(random() * 8)}`;
        await client.submit(provider.user, { marking: m, campaign: pick(['Op A', 'Op B']), indicators: [{ kind: 'c2-ip', value }] });
      } else if (choice < 0.6 || posted.length === 0) {
        const object = stixIndicator(m.tlp, {}, m.recipients);
        if ((await client.post(provider.user, [object])).status === 202) posted.push({ id: String(object.id), user: provider.user, object });
      } else if (choice < 0.85) {
        const earlier = pick(posted);
        const next = { ...earlier.object, modified: `2026-11-${String(day++ % 28 + 1).padStart(2, '0')}T00:00:00.000Z`, object_marking_refs: [markingRefFor(m.tlp)] };
        await client.post(earlier.user, [m.tlp === 'red' ? { ...stixIndicator('red', {}, m.recipients), ...next, extensions: stixIndicator('red', {}, m.recipients).extensions } : next]);
      } else {
        const [a, b] = [pick(posted), pick(posted)];
        await client.post(provider.user, [relationship(a.id, b.id, m.tlp, m.tlp === 'red' ? { extensions: stixIndicator('red', {}, m.recipients).extensions } : {})]);
      }
    }

    const all = await client.everything('operator');
    const latest = new Map<string, string>();
    for (const object of all) {
      const version = String(object.modified ?? object.created);
      const id = String(object.id);
      if ((latest.get(id) ?? '') < version) latest.set(id, version);
    }
    expect(all.length).toBeGreaterThan(60);
    for (const consumer of CONSUMERS) {
      const readable = await client.everything(consumer);
      const latestRead = new Map<string, string>();
      for (const object of readable) {
        const version = String(object.modified ?? object.created);
        if ((latestRead.get(String(object.id)) ?? '') < version) latestRead.set(String(object.id), version);
      }
      const behind = [...latestRead].filter(([id, version]) => latest.get(id) !== version).map(([id]) => id);
      expect({ consumer, behind }).toEqual({ consumer, behind: [] });
      expect({ consumer, unreadable: await unreadableReferences(client, consumer) }).toEqual({ consumer, unreadable: [] });
    }
  });
});
