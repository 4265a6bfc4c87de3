import type { Express } from 'express';
import request from 'supertest';
import { DEMO_COLLECTIONS } from './demo-config';

/**
 * The three-wave spear-phishing scenario (issue 15 §2), scripted against the demo hub: three
 * providers report waves of one campaign that reuse a sender IP, an attachment name and a C2 host,
 * across the ISAC feed and the ACME-Globex alliance exchange; two single-provider clusters; and noise
 * that must not join. Used by the campaign-candidate tests, the README's worked example and the
 * early-warning tests.
 *
 * Indicators are connected when they share an analysis key; a candidate needs 3 indicators from 2
 * submissions (the defaults). What each reader gets:
 * - sender IP 203.0.113.45: alice (wave 1, ISAC), frank (wave 2, ISAC), dave (wave 3, alliance):
 *   3 indicators, 3 submissions, 3 providers, 2 collections;
 * - attachment remittance_advice_0923.zip (any case): alice, frank and heidi, all in the ISAC;
 * - C2 host cdn-update.kuro-relay.example (C2 host, URL host, From domain): alice's C2 host, frank's
 *   URL, dave's C2 host, URL and From address: 5 indicators from 4 submissions;
 * - ledger-sync.example: heidi's (Vandelay) two ISAC submissions, 3 indicators;
 * - helpdesk-reset.example: alice's two ACME-internal submissions, 3 indicators.
 * The operator (and globex-hq, acme-hq: they read the ISAC and the alliance) get the first four;
 * grace (Vandelay, ISAC only) gets the attachment and ledger ones: her view of the IP and the host
 * has only 2 indicators each. erin (Globex lab, in the alliance, reading globex-hq's data only) gets
 * the host one built from dave's 3 indicators. carol (ACME West) gets helpdesk only (alice
 * publishes downward in ACME internal).
 * Noise: alice's wave-1 subject and heidi's other sender IP (shared with no one), heidi's
 * bulletin.example pair (two indicators of one submission), a lone C2 IP.
 */

export type Wave = {
  readonly name: string;
  readonly user: string;
  readonly collection: string;
  readonly tlp: 'green' | 'amber';
  readonly indicators: readonly { readonly kind: string; readonly value: string }[];
};

export const THREE_WAVES: readonly Wave[] = [
  {
    name: 'wave 1',
    user: 'alice',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'green',
    indicators: [
      { kind: 'email-sender-ip', value: '203.0.113.45' },
      { kind: 'email-attachment-name', value: 'Remittance_Advice_0923.zip' },
      { kind: 'c2-hostname', value: 'cdn-update.kuro-relay.example' },
      { kind: 'email-subject', value: 'Outstanding remittance 0923' },
    ],
  },
  {
    name: 'wave 2',
    user: 'frank',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'amber',
    indicators: [
      { kind: 'email-sender-ip', value: '203.0.113.45' },
      { kind: 'email-attachment-name', value: 'remittance_advice_0923.zip' },
      { kind: 'url', value: 'http://cdn-update.kuro-relay.example/gate.php' },
    ],
  },
  {
    name: 'wave 2, ISAC report',
    user: 'heidi',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'amber',
    indicators: [
      { kind: 'email-attachment-name', value: 'REMITTANCE_ADVICE_0923.zip' },
      { kind: 'email-sender-ip', value: '203.0.113.46' },
    ],
  },
  {
    name: 'wave 3',
    user: 'dave',
    collection: DEMO_COLLECTIONS.allianceExchange,
    tlp: 'amber',
    indicators: [
      { kind: 'c2-hostname', value: 'cdn-update.kuro-relay.example' },
      { kind: 'email-sender-ip', value: '203.0.113.45' },
    ],
  },
  {
    name: 'wave 3, second report',
    user: 'dave',
    collection: DEMO_COLLECTIONS.allianceExchange,
    tlp: 'amber',
    indicators: [
      { kind: 'url', value: 'http://cdn-update.kuro-relay.example/stage2.bin' },
      { kind: 'email-from', value: 'payroll@cdn-update.kuro-relay.example' },
    ],
  },
  {
    name: 'ledger 1',
    user: 'heidi',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'green',
    indicators: [
      { kind: 'email-from', value: 'invoices@ledger-sync.example' },
      { kind: 'url', value: 'http://ledger-sync.example/pay' },
    ],
  },
  {
    name: 'ledger 2',
    user: 'heidi',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'green',
    indicators: [{ kind: 'c2-hostname', value: 'ledger-sync.example' }],
  },
  {
    name: 'helpdesk 1',
    user: 'alice',
    collection: DEMO_COLLECTIONS.acmeInternal,
    tlp: 'amber',
    indicators: [
      { kind: 'email-from', value: 'it-desk@helpdesk-reset.example' },
      { kind: 'url', value: 'http://helpdesk-reset.example/login' },
    ],
  },
  {
    name: 'helpdesk 2',
    user: 'alice',
    collection: DEMO_COLLECTIONS.acmeInternal,
    tlp: 'amber',
    indicators: [{ kind: 'c2-hostname', value: 'helpdesk-reset.example' }],
  },
  {
    name: 'noise',
    user: 'heidi',
    collection: DEMO_COLLECTIONS.isacFeed,
    tlp: 'green',
    indicators: [
      { kind: 'email-from', value: 'news@bulletin.example' },
      { kind: 'url', value: 'http://bulletin.example/unsubscribe' },
      { kind: 'c2-ip', value: '192.0.2.200' },
    ],
  },
];

/** The values of each expected candidate's members (as the hub normalised them), sorted. */
export const EXPECTED = {
  senderIp: ['203.0.113.45', '203.0.113.45', '203.0.113.45'],
  attachment: ['REMITTANCE_ADVICE_0923.zip', 'Remittance_Advice_0923.zip', 'remittance_advice_0923.zip'],
  host: ['cdn-update.kuro-relay.example', 'cdn-update.kuro-relay.example', 'http://cdn-update.kuro-relay.example/gate.php', 'http://cdn-update.kuro-relay.example/stage2.bin', 'payroll@cdn-update.kuro-relay.example'],
  /** erin's view of the host candidate: dave's three. */
  hostGlobexLab: ['cdn-update.kuro-relay.example', 'http://cdn-update.kuro-relay.example/stage2.bin', 'payroll@cdn-update.kuro-relay.example'],
  ledger: ['http://ledger-sync.example/pay', 'invoices@ledger-sync.example', 'ledger-sync.example'],
  helpdesk: ['helpdesk-reset.example', 'http://helpdesk-reset.example/login', 'it-desk@helpdesk-reset.example'],
} as const;

/** The demo user's Authorization header. */
export const waveAuth = (user: string) => `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`;

/** Submits one wave; returns its indicators' ids in order. */
export async function submitWave(app: Express, wave: Wave): Promise<string[]> {
  const answer = await request(app)
    .post('/api/submissions')
    .set('Authorization', waveAuth(wave.user))
    .send({ collection: wave.collection, valid_from: new Date().toISOString(), marking: { tlp: wave.tlp }, indicators: wave.indicators });
  if (answer.status !== 200) throw new Error(`${wave.name}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { indicators: { id: string }[] }).indicators.map((i) => i.id);
}

/** Submits every wave in order; the ids of each wave's indicators, by wave name. */
export async function submitThreeWaves(app: Express): Promise<Map<string, string[]>> {
  const ids = new Map<string, string[]>();
  for (const wave of THREE_WAVES) ids.set(wave.name, await submitWave(app, wave));
  return ids;
}

/** GET /api/campaign-candidates as `user` (200 expected), the candidates of the answer. */
export async function candidatesOf<C>(app: Express, user: string, status?: string): Promise<C[]> {
  const answer = await request(app).get(`/api/campaign-candidates${status !== undefined ? `?status=${status}` : ''}`).set('Authorization', waveAuth(user));
  if (answer.status !== 200) throw new Error(`GET /api/campaign-candidates as ${user}: ${answer.status} ${answer.text}`);
  return (answer.body as { candidates: C[] }).candidates;
}
