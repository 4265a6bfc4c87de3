import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cli } from '../../support/cli-run';
import { DEMO_COLLECTIONS } from '../../support/demo-config';
import { testEngines } from '../../support/test-databases';
import { demoAuth } from '../support/demo-config-hub';
import { startListeningDemoHub, type ListeningDemoHub } from '../support/listening-demo-hub';

/**
 * The detection loop, as users run it (issue 14), in the demo's ACME–Globex alliance exchange:
 * provider A (alice, ACME head office) shares a phishing sender's address; consumer B (dave, Globex
 * head office, a peer across the alliance link) runs `taxii-hub match` on its Postfix log, which
 * syncs B's mirror, finds the sender, and with --report tells the hub. A then sees the sighting count
 * and that Globex saw it; C (carol, ACME West, outside the alliance) sees neither the indicator nor
 * the sighting; nor does erin (Globex's lab), who reads the collection but not ACME's indicator.
 */

const COLLECTION = DEMO_COLLECTIONS.allianceExchange;
const ALIAS = 'alliance-exchange';
const SENDER_IP = '198.51.100.77';

function postfixLog(): string {
  return [
    'Dec  6 09:14:02 mx1 postfix/smtpd[20411]: connect from unknown[203.0.113.9]',
    'Dec  6 09:14:02 mx1 postfix/smtpd[20411]: 4Qx1Lm2zYFz9t: client=unknown[203.0.113.9]',
    'Dec  6 09:15:40 mx1 postfix/smtpd[20411]: connect from mail.kuro-relay.example[198.51.100.77]',
    'Dec  6 09:15:41 mx1 postfix/smtpd[20411]: 4Qx1Np0WqLz9v: client=mail.kuro-relay.example[198.51.100.77]',
    'Dec  6 09:15:41 mx1 postfix/qmgr[1020]: 4Qx1Np0WqLz9v: from=<billing@kuro-relay.example>, size=48213, nrcpt=1 (queue active)',
    'Dec  6 11:02:13 mx1 postfix/smtpd[20533]: 5Rz2Aq1XkMz3w: client=mail.kuro-relay.example[198.51.100.77]',
    '',
  ].join('\n');
}

describe.each(testEngines())('the detection loop on %s', (engine) => {
  let hub: ListeningDemoHub;
  let url: string;
  let work: string;

  beforeAll(async () => {
    hub = await startListeningDemoHub(engine);
    url = hub.url;
    work = await mkdtemp(path.join(os.tmpdir(), 'detection-loop-'));
  });
  afterAll(async () => {
    await hub.close();
    await rm(work, { recursive: true, force: true });
  });

  const api = async (username: string, method: string, apiPath: string, body?: unknown) => {
    const response = await fetch(`${url}/api${apiPath}`, {
      method,
      headers: { Authorization: demoAuth(username), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  /** `taxii-hub match` as dave runs it on Globex's mail server. */
  async function matchAsDave(args: string[]) {
    const saved = process.env.HUB_PASSWORD;
    process.env.HUB_PASSWORD = 'dave-demo-pw';
    try {
      return await cli(['match', '--url', url, '--login', 'dave', '--mirror', path.join(work, 'mirror'), ...args]);
    } finally {
      if (saved === undefined) delete process.env.HUB_PASSWORD;
      else process.env.HUB_PASSWORD = saved;
    }
  }

  test('B finds A\'s sender in its Postfix log and reports it; A sees the count and B\'s organization; C sees nothing', async () => {
    const submitted = await api('alice', 'POST', '/submissions', {
      collection: COLLECTION,
      valid_from: new Date().toISOString(),
      indicators: [{ kind: 'email-sender-ip', value: SENDER_IP }],
    });
    expect(submitted.status).toBe(200);
    const id = String((submitted.json().indicators as { id: string }[])[0]?.id);
    expect(id).toMatch(/^indicator--/);

    const log = path.join(work, 'maillog');
    await writeFile(log, postfixLog());

    // B scans: three lines name the sender's address; exit code 1 says something matched.
    const scanned = await matchAsDave(['--json', '--collection', ALIAS, log]);
    expect(scanned.err).not.toMatch(/error/i);
    expect(scanned.code).toBe(1);
    const hits = scanned.out.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(hits.map((h) => h.line)).toEqual([3, 4, 6]);
    for (const hit of hits) expect(hit).toMatchObject({ indicator: id, kind: 'email-sender-ip', value: SENDER_IP, input: log });

    // B reports (offline scan of the same mirror, then the report): only ids, counts and times leave.
    const reported = await matchAsDave(['--no-sync', '--report', '--collection', ALIAS, log]);
    expect(reported.code).toBe(1);

    // A sees the sighting: three hits, from Globex.
    const figures = await api('alice', 'GET', `/collections/${COLLECTION}/indicators/${id}/sightings`);
    expect(figures.status).toBe(200);
    const seen = figures.json().sightings as Record<string, unknown>;
    expect(seen).toMatchObject({ count: 3, reports: 1, organizations: 1 });
    expect(seen.by_organization).toEqual([expect.objectContaining({ organization: 'globex-hq', count: 3 })]);
    // First and last seen are the log's own times (syslog local time), not the time of the report.
    expect(String(seen.first_seen) < String(seen.last_seen)).toBe(true);
    const listed = await api('alice', 'GET', `/collections/${COLLECTION}/indicators`);
    const row = (listed.json().indicators as { id: string; sightings?: { count: number } }[]).find((i) => i.id === id);
    expect(row?.sightings?.count).toBe(3);

    // C is outside the alliance: neither the indicator nor its sighting exists for it.
    expect((await api('carol', 'GET', `/collections/${COLLECTION}/indicators/${id}/sightings`)).status).toBe(404);
    const taxii = await fetch(`${url}/demo/collections/${COLLECTION}/objects/?match[type]=sighting,indicator`, {
      headers: { Authorization: demoAuth('carol'), Accept: 'application/taxii+json;version=2.1' },
    });
    expect([403, 404]).toContain(taxii.status);

    // Globex's lab reads the collection but not ACME's AMBER indicator across the link (no pass-down), so Globex's
    // report of it does not reach the lab either.
    expect((await api('erin', 'GET', `/collections/${COLLECTION}/indicators/${id}/sightings`)).status).toBe(404);
    const lab = await fetch(`${url}/demo/collections/${COLLECTION}/objects/?match[type]=sighting,indicator`, {
      headers: { Authorization: demoAuth('erin'), Accept: 'application/taxii+json;version=2.1' },
    });
    expect(lab.status).toBe(200);
    const labObjects = ((await lab.json()) as { objects?: { id: string; sighting_of_ref?: string }[] }).objects ?? [];
    expect(labObjects.filter((o) => o.id === id || o.sighting_of_ref === id)).toEqual([]);
  });
});
