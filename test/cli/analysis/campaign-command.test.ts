import { candidateLines, type CandidateListJson } from '../../../src/cli/analysis/campaign-command';
import { cli } from '../../support/cli-run';
import { runningHubForCli } from '../../support/running-hub-cli';
import { EXPECTED, THREE_WAVES, waveAuth } from '../../support/three-waves';

/** `taxii-hub campaign …` against a running demo hub holding the three-wave scenario. */

const { remote, as } = runningHubForCli('hub-cli-campaign-');

beforeAll(async () => {
  for (const wave of THREE_WAVES) {
    const response = await fetch(`${remote[1] as string}/api/submissions`, {
      method: 'POST',
      headers: { Authorization: waveAuth(wave.user), 'Content-Type': 'application/json' },
      body: JSON.stringify({ collection: wave.collection, valid_from: new Date().toISOString(), marking: { tlp: wave.tlp }, indicators: wave.indicators }),
    });
    expect(response.status).toBe(200);
  }
});

test('lists the caller\'s candidates, confirms one and rejects another', async () => {
  as('erin');
  const text = await cli(['campaign', 'candidates', ...remote]);
  expect(text).toMatchObject({ code: 0, err: '' });
  const lines = text.out.split('\n');
  expect(lines[0]).toMatch(/^candidate--[0-9a-f-]{36} {2}open$/);
  expect(lines[1]).toMatch(/^ {2}3 indicators, 2 submissions, 1 providers, 1 collections; \S+ \.\. \S+$/);
  expect(lines[2]).toBe('  shared: host cdn-update.kuro-relay.example');
  expect(lines.slice(3).map((l) => l.split(' ')[4]).sort()).toEqual([...EXPECTED.hostGlobexLab]);

  as('alice');
  const json = JSON.parse((await cli(['campaign', 'candidates', '--json', ...remote])).out) as CandidateListJson;
  const helpdesk = json.candidates.find((c) => c.members.some((m) => m.value === 'helpdesk-reset.example'));
  const ip = json.candidates.find((c) => c.members.some((m) => m.value === '203.0.113.45'));
  if (helpdesk === undefined || ip === undefined) throw new Error('the scenario has no helpdesk or sender-IP candidate for alice');
  const confirmed = await cli(['campaign', 'confirm', helpdesk.id, '--name', 'Helpdesk reset', ...remote]);
  expect(confirmed).toMatchObject({ code: 0, err: '' });
  expect(confirmed.out.split('\n')[0]).toMatch(/^campaign "Helpdesk reset" campaign--[0-9a-f-]{36} \(TLP:AMBER\)$/);
  expect(confirmed.out.split('\n').filter((l) => l.includes('wrote relationship'))).toHaveLength(3);

  // alice is no operator and the sender-IP candidate holds other organizations' indicators.
  const refused = await cli(['campaign', 'reject', ip.id, '--reason', 'shared relay', ...remote]);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/operator role/);
  as('operator');
  const operatorIp = (JSON.parse((await cli(['campaign', 'candidates', '--json', ...remote])).out) as CandidateListJson).candidates.find((c) => c.members.some((m) => m.value === '203.0.113.45'));
  const rejected = await cli(['campaign', 'reject', operatorIp?.id ?? '', '--reason', 'shared relay', ...remote]);
  expect(rejected).toMatchObject({ code: 0, out: `rejected ${operatorIp?.id ?? ''} (3 members)` });
  const listed = await cli(['campaign', 'candidates', '--status', 'rejected', ...remote]);
  expect(listed.out).toContain('rejected: shared relay');
});

test('without candidates it says so', () => {
  expect(candidateLines({ candidates: [] })).toEqual(['no campaign candidates']);
});
