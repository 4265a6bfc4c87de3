import { entriesOfRow, indicatorLine, parseIndicatorLine, type IndicatorLine } from '../../../../src/cli/match/mirror/mirror-lines';
import { MirrorState } from '../../../../src/cli/match/mirror/mirror-state';

/** The mirror's indicator lines: what is written is what loads, and a sync reads them back without parsing them whole. */

const line: IndicatorLine = {
  collection: '948f89cd-d3ab-4b2e-bb60-bdffe702b793',
  id: 'indicator--6f0a1c2e-0000-4000-8000-000000000001',
  dateAdded: 1793491200000001,
  tlp: 'amber+strict',
  createdBy: 'identity--0c6f3a4e-3f4b-4d6e-9f67-0d8b8f0c2a11',
  provider: 'ACME "East", Inc.',
  validUntilMicros: 1893456000000000,
  confidence: 70,
  campaigns: ['Kuro Relay', 'Operation "Ghost"'],
  values: [['file-hash', 'ab'.repeat(32), 'SHA-256'], ['c2-ip', '192.0.2.0/24', null]],
};

test('an indicator line reads back as written, and gives one match entry per value with everything a hit prints', () => {
  const text = indicatorLine(line);
  const row = JSON.parse(text) as unknown[];
  expect(parseIndicatorLine(row)).toEqual(line);
  expect(entriesOfRow(row)).toEqual([
    { indicatorId: line.id, kind: 'file-hash', value: 'ab'.repeat(32), algorithm: 'SHA-256', collection: line.collection, tlp: 'amber+strict', campaigns: line.campaigns, provider: 'ACME "East", Inc.', validUntilMicros: 1893456000000000, confidence: 70 },
    { indicatorId: line.id, kind: 'c2-ip', value: '192.0.2.0/24', collection: line.collection, tlp: 'amber+strict', campaigns: line.campaigns, provider: 'ACME "East", Inc.', validUntilMicros: 1893456000000000, confidence: 70 },
  ]);
  const bare = JSON.parse(indicatorLine({ ...line, provider: null, createdBy: null, validUntilMicros: null, confidence: null, campaigns: [] })) as unknown[];
  expect(entriesOfRow(bare)[1]).toEqual({ indicatorId: line.id, kind: 'c2-ip', value: '192.0.2.0/24', collection: line.collection, tlp: 'amber+strict', campaigns: [] });
});

test('a sync reads indicator lines back by collection and id, and knows which wait for their provider\'s name', () => {
  const state = new MirrorState();
  state.replay(indicatorLine(line));
  state.replay(indicatorLine({ ...line, id: 'indicator--b', provider: null }));
  state.replay(indicatorLine({ ...line, collection: 'other', id: 'indicator--c', createdBy: null, provider: null }));
  expect([...state.indicators.keys()]).toEqual([`${line.collection}\n${line.id}`, `${line.collection}\nindicator--b`, 'other\nindicator--c']);
  expect(state.dateAddedOf(line.collection, 'indicator--b')).toBe(line.dateAdded);
  expect([...state.indicatorIds('other')]).toEqual(['indicator--c']);
  // The identity the lines name arrives: both are rewritten with its name (the one waiting for it, and the one that had another).
  state.put(line.collection, { type: 'identity', id: line.createdBy, name: 'ACME East', identity_class: 'organization' }, 5, { objects: 0, removed: 0 }, 0);
  const rewritten = state.indicators.get(`${line.collection}\nindicator--b`) ?? '';
  expect(parseIndicatorLine(JSON.parse(rewritten) as unknown[]).provider).toBe('ACME East');
  expect(state.take()).toEqual([JSON.stringify(['p', line.createdBy, 'ACME East']), expect.stringContaining(line.id), expect.stringContaining('indicator--b')]);
});
