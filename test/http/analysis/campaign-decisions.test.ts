import request from 'supertest';
import { createStixValidator } from '../../../src/validation/stix-validator';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { submitThreeWaves, submitWave, waveAuth, candidatesOf as candidatesOfAs } from '../../support/three-waves';
import { startDemoConfigHub, type DemoConfigHub } from '../support/demo-config-hub';
import type { CandidateJson } from './campaign-candidates.test';

interface Confirmed {
  candidate: string;
  campaign: { id: string; name: string };
  created_by_ref: string;
  marking: { tlp: string; recipients: string[] };
  written: { collection: string; type: string; id: string; tlp: string }[];
}

const TAXII = 'application/taxii+json;version=2.1';
const validate = createStixValidator();

/** Confirming and rejecting campaign candidates (issue 15 §2) on the three-wave scenario. */
describe.each(testEngines())('campaign candidate decisions on %s', (engine) => {
  let hub: DemoConfigHub;

  beforeAll(async () => {
    hub = await startDemoConfigHub(engine);
    await submitThreeWaves(hub.app);
  });
  afterAll(async () => hub.close());

  const candidatesOf = (user: string, status?: string) => candidatesOfAs<CandidateJson>(hub.app, user, status);
  const withValue = (cs: readonly CandidateJson[], value: string) => cs.find((c) => c.members.some((m) => m.value === value));
  const confirm = (user: string, id: string, body: object) => request(hub.app).post(`/api/campaign-candidates/${id}/confirm`).set('Authorization', waveAuth(user)).send(body);
  const reject = (user: string, id: string, body: object = {}) => request(hub.app).post(`/api/campaign-candidates/${id}/reject`).set('Authorization', waveAuth(user)).send(body);
  /** The campaigns and relationships a user reads over TAXII in a collection. */
  const readable = async (user: string, collection: string) => {
    const answer = await request(hub.app).get(`/demo/collections/${collection}/objects/?match[type]=campaign,relationship,identity`).set('Authorization', waveAuth(user)).set('Accept', TAXII);
    if (answer.status === 403 || answer.status === 404) return [];
    expect(answer.status).toBe(200);
    return ((JSON.parse(answer.text) as { objects?: Record<string, unknown>[] }).objects ?? []);
  };

  it('an operator confirms the cross-provider C2-host candidate: a campaign and an indicates relationship per member, in each collection, by the hub, marked AMBER, each reader getting what it may read', async () => {
    // alice reports the C2 host in the alliance too: two providers there, whose AMBER readers differ
    // (erin reads globex-hq's, bob reads acme-hq's, across the peer link only the head offices read both).
    await submitWave(hub.app, { name: 'alliance report', user: 'alice', collection: DEMO_COLLECTIONS.allianceExchange, tlp: 'amber', indicators: [{ kind: 'c2-hostname', value: 'cdn-update.kuro-relay.example' }] });
    const host = withValue(await candidatesOf('operator'), 'payroll@cdn-update.kuro-relay.example') as CandidateJson;
    expect(host.sizes).toEqual({ indicators: 6, submissions: 5, providers: 3, collections: 2 });
    const answer = await confirm('operator', host.id, { name: 'Kuro relay', description: 'Remittance lures with a C2 on cdn-update.kuro-relay.example' });
    expect(answer.status).toBe(200);
    const confirmed = answer.body as Confirmed;
    expect(confirmed.marking).toEqual({ tlp: 'amber', recipients: [] });
    expect(confirmed.written.filter((w) => w.type === 'campaign').map((w) => w.collection).sort()).toEqual([DEMO_COLLECTIONS.allianceExchange, DEMO_COLLECTIONS.isacFeed].sort());
    expect(confirmed.written.filter((w) => w.type === 'relationship')).toHaveLength(6);

    // Every object written is valid STIX, names the hub as its creator (an operator; the ISAC hides attribution), and is AMBER.
    const isac = await readable('operator', DEMO_COLLECTIONS.isacFeed);
    const alliance = await readable('operator', DEMO_COLLECTIONS.allianceExchange);
    const written = [...isac, ...alliance].filter((o) => confirmed.written.some((w) => w.id === o.id));
    expect(written).toHaveLength(8);
    const AMBER = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';
    const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
    for (const object of written) {
      expect(validate(object)).toEqual({ ok: true });
      expect(object.created_by_ref).toBe(confirmed.created_by_ref);
    }
    // AMBER, the strictest member's; alice's alliance link is for those who read both her indicator and dave's campaign there: RED to the two head offices.
    const aliceAlliance = host.members.find((m) => m.provider === 'acme-hq' && m.collection === DEMO_COLLECTIONS.allianceExchange) as CandidateJson['members'][number];
    for (const object of written) expect(object.object_marking_refs).toEqual([object.source_ref === aliceAlliance.id ? RED : AMBER]);
    expect(confirmed.written.find((w) => w.collection === DEMO_COLLECTIONS.allianceExchange && w.tlp === 'red')).toBeDefined();
    const hubIdentity = isac.find((o) => o.id === confirmed.created_by_ref) as Record<string, unknown>;
    expect(hubIdentity.name).toBe('taxii-hub');
    const campaign = written.find((o) => o.type === 'campaign') as Record<string, unknown>;
    expect(campaign).toMatchObject({ id: confirmed.campaign.id, name: 'Kuro relay', description: 'Remittance lures with a C2 on cdn-update.kuro-relay.example' });
    // Audited, once per collection written.
    const audit = await request(hub.app).get(`/admin/api/audit?entity_type=campaign&entity_id=${confirmed.campaign.id}`).set('Authorization', waveAuth('operator'));
    expect(audit.status).toBe(200);
    const entries = (audit.body as { entries: { action: string; actor: string }[] }).entries;
    expect(entries.map((e) => `${e.action} by ${e.actor}`)).toEqual(['campaign-candidate.confirm by operator', 'campaign-candidate.confirm by operator']);
    const members = new Set(host.members.map((m) => m.id));
    for (const r of written.filter((o) => o.type === 'relationship')) {
      expect(r).toMatchObject({ relationship_type: 'indicates', target_ref: confirmed.campaign.id });
      expect(members.has(String(r.source_ref))).toBe(true);
    }

    // grace (ISAC): the campaign and the two ISAC relationships; erin (Globex lab): the alliance
    // campaign and dave's three relationships, not the one a hidden member would need; carol: nothing.
    const ofCampaign = (objects: Record<string, unknown>[]) => objects.filter((o) => o.id === confirmed.campaign.id || o.target_ref === confirmed.campaign.id);
    expect(ofCampaign(await readable('grace', DEMO_COLLECTIONS.isacFeed)).map((o) => o.type).sort()).toEqual(['campaign', 'relationship', 'relationship']);
    const erin = ofCampaign(await readable('erin', DEMO_COLLECTIONS.allianceExchange));
    expect(erin.map((o) => o.type).sort()).toEqual(['campaign', 'relationship', 'relationship', 'relationship']);
    expect(ofCampaign(await readable('dave', DEMO_COLLECTIONS.allianceExchange)).map((o) => o.type).sort()).toEqual(['campaign', 'relationship', 'relationship', 'relationship', 'relationship']);
    // bob (ACME East) reads alice's alliance indicator but not dave's campaign: neither it nor the link.
    expect(ofCampaign(await readable('bob', DEMO_COLLECTIONS.allianceExchange))).toEqual([]);
    expect(ofCampaign(await readable('carol', DEMO_COLLECTIONS.allianceExchange))).toEqual([]);
    expect(ofCampaign(await readable('carol', DEMO_COLLECTIONS.acmeInternal))).toEqual([]);

    // Confirmed: the candidate is in the campaign and leaves the open listing, until a new member arrives.
    expect(withValue(await candidatesOf('operator'), 'payroll@cdn-update.kuro-relay.example')).toBeUndefined();
    expect(withValue(await candidatesOf('operator', 'in-campaign'), 'payroll@cdn-update.kuro-relay.example')).toMatchObject({ id: host.id, status: 'in-campaign', campaign: { id: confirmed.campaign.id, name: 'Kuro relay', new_members: [] } });
    const [fresh] = await submitWave(hub.app, { name: 'wave 4', user: 'dave', collection: DEMO_COLLECTIONS.allianceExchange, tlp: 'amber', indicators: [{ kind: 'url', value: 'http://cdn-update.kuro-relay.example/wave4.php' }] });
    const grown = withValue(await candidatesOf('operator'), 'payroll@cdn-update.kuro-relay.example') as CandidateJson;
    expect(grown).toMatchObject({ id: host.id, status: 'in-campaign', campaign: { id: confirmed.campaign.id, new_members: [`${DEMO_COLLECTIONS.allianceExchange}/${fresh}`] } });
    // Confirming again adds the new member to the same campaign: one relationship, no new campaign.
    const added = (await confirm('operator', host.id, { name: 'ignored: the campaign has its name' })).body as Confirmed;
    expect(added.campaign).toEqual(confirmed.campaign);
    expect(added.written.map((w) => w.type)).toEqual(['relationship']);
  });

  it('an org-admin confirms a candidate its own organization provides: the campaign names its organization where the collection attributes', async () => {
    const helpdesk = withValue(await candidatesOf('alice'), 'helpdesk-reset.example') as CandidateJson;
    const answer = await confirm('alice', helpdesk.id, { name: 'Helpdesk reset' });
    expect(answer.status).toBe(200);
    const confirmed = answer.body as Confirmed;
    const objects = await readable('carol', DEMO_COLLECTIONS.acmeInternal);
    const creator = objects.find((o) => o.id === confirmed.created_by_ref) as Record<string, unknown>;
    expect(creator).toMatchObject({ type: 'identity', name: 'ACME Holdings' });
    expect(objects.filter((o) => o.target_ref === confirmed.campaign.id)).toHaveLength(3);
    for (const o of objects.filter((x) => confirmed.written.some((w) => w.id === x.id))) expect(validate(o)).toEqual({ ok: true });

    // heidi is Vandelay's org-admin but not a consumer: she reads nothing, so she gets no candidates, not even her organization's.
    expect(await candidatesOf('heidi')).toEqual([]);
  });

  it('refuses who may not decide (403, saying which role), a candidate the caller cannot see (404), and a bad body (400)', async () => {
    const ip = withValue(await candidatesOf('dave'), '203.0.113.45') as CandidateJson;
    const byDave = await confirm('dave', ip.id, { name: 'x' });
    expect(byDave.status).toBe(403);
    expect(JSON.stringify(byDave.body)).toMatch(/operator role.*org-admin role of an organization that provides every member/);
    const erinsHost = (await candidatesOf('erin', 'all'))[0] as CandidateJson;
    const byErin = await reject('erin', erinsHost.id);
    expect(byErin.status).toBe(403);
    // dave's own view has a different id for that cluster: erin's id names nothing for him.
    expect((await confirm('dave', erinsHost.id, { name: 'x' })).status).toBe(404);
    expect((await confirm('operator', 'candidate--00000000-0000-0000-0000-000000000000', { name: 'x' })).status).toBe(404);
    expect((await confirm('operator', ip.id, { name: 'x' })).status).toBe(404); // the operator's id differs from dave's
    const operatorIp = withValue(await candidatesOf('operator'), '203.0.113.45') as CandidateJson;
    const noName = await confirm('operator', operatorIp.id, { description: 'no name' });
    expect(noName.status).toBe(400);
    expect(JSON.stringify(noName.body)).toContain('name');
    expect((await confirm('operator', operatorIp.id, { name: 'x', campaign: 'not-a-campaign' })).status).toBe(400);
    expect((await reject('operator', operatorIp.id, { reason: '' })).status).toBe(400);
  });

  it('a rejected candidate stays rejected for every reader as new members arrive, and cannot be confirmed', async () => {
    const ip = withValue(await candidatesOf('operator'), '203.0.113.45') as CandidateJson;
    const rejected = await reject('operator', ip.id, { reason: 'a shared mail relay, not one actor' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ candidate: ip.id, status: 'rejected', members: ip.members.map((m) => `${m.collection}/${m.id}`) });
    const audit = await request(hub.app).get(`/admin/api/audit?entity_type=campaign-candidate&entity_id=${ip.id}`).set('Authorization', waveAuth('operator'));
    expect((audit.body as { entries: { action: string; actor: string }[] }).entries.map((e) => `${e.action} by ${e.actor}`)).toEqual(['campaign-candidate.reject by operator']);
    await submitWave(hub.app, { name: 'late IP report', user: 'heidi', collection: DEMO_COLLECTIONS.isacFeed, tlp: 'green', indicators: [{ kind: 'email-sender-ip', value: '203.0.113.45' }] });
    for (const user of ['operator', 'dave']) {
      expect(withValue(await candidatesOf(user), '203.0.113.45')).toBeUndefined();
      const listed = withValue(await candidatesOf(user, 'rejected'), '203.0.113.45') as CandidateJson;
      expect(listed.status).toBe('rejected');
      expect(listed.sizes.indicators).toBe(4);
    }
    // grace now reads three IP indicators (alice's, frank's, heidi's late one): holding two rejected members, rejected for her too.
    expect(withValue(await candidatesOf('grace', 'rejected'), '203.0.113.45')?.sizes.indicators).toBe(3);
    const again = await confirm('operator', ip.id, { name: 'x' });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain('a shared mail relay');
    expect((await reject('operator', ip.id)).status).toBe(409);
  });
});
