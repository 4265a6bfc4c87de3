import { candidateId, clustersOf, isCandidate, rejectedBy, windowStart } from '../../../src/domain/analysis/clustering';
import { strictestMarking } from '../../../src/domain/analysis/campaign-marking';

describe('clustering indicators by shared analysis keys', () => {
  it('connects nodes that share a key, transitively, with the keys that connect them; lone nodes are no cluster', () => {
    const clusters = clustersOf([
      { node: 'a', key: 'ip:203.0.113.45' },
      { node: 'b', key: 'ip:203.0.113.45' },
      { node: 'b', key: 'host:example.kuro' },
      { node: 'c', key: 'host:example.kuro' },
      { node: 'd', key: 'attachment:x.zip' },
      { node: 'e', key: 'attachment:x.zip' },
      { node: 'f', key: 'subject:alone' },
    ]);
    expect(clusters).toEqual([
      { nodes: ['a', 'b', 'c'], shared: ['host:example.kuro', 'ip:203.0.113.45'] },
      { nodes: ['d', 'e'], shared: ['attachment:x.zip'] },
    ]);
  });

  it('a node that is absent (one the reader may not read) bridges nothing', () => {
    // x would join a and c; without it, they stay apart.
    const rows = [
      { node: 'a', key: 'k1' },
      { node: 'b', key: 'k1' },
      { node: 'c', key: 'k2' },
      { node: 'd', key: 'k2' },
    ];
    expect(clustersOf([...rows, { node: 'x', key: 'k1' }, { node: 'x', key: 'k2' }]).map((c) => c.nodes)).toEqual([['a', 'b', 'c', 'd', 'x']]);
    expect(clustersOf(rows).map((c) => c.nodes)).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('the same key twice on one node is one node', () => {
    expect(clustersOf([{ node: 'a', key: 'k' }, { node: 'a', key: 'k' }])).toEqual([]);
  });

  it('is a candidate from the thresholds on', () => {
    const t = { minIndicators: 3, minSubmissions: 2, windowDays: 30 };
    expect(isCandidate({ indicators: 3, submissions: 2 }, t)).toBe(true);
    expect(isCandidate({ indicators: 2, submissions: 2 }, t)).toBe(false);
    expect(isCandidate({ indicators: 5, submissions: 1 }, t)).toBe(false);
    expect(windowStart(31 * 86_400_000_000, 30)).toBe(86_400_000_000);
  });

  it('a candidate id depends on the secret, the audience and the earliest member only, and reveals neither', () => {
    const id = candidateId('s', 'audience', 'c/indicator--1');
    expect(id).toMatch(/^candidate--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(candidateId('s', 'audience', 'c/indicator--1')).toBe(id);
    expect(candidateId('t', 'audience', 'c/indicator--1')).not.toBe(id);
    expect(candidateId('s', 'other', 'c/indicator--1')).not.toBe(id);
    expect(id).not.toContain('indicator');
  });

  it('stays rejected when it holds two members of a rejected set', () => {
    const rejections = [{ members: ['a', 'b', 'c'] }];
    expect(rejectedBy(['b', 'c', 'z'], rejections)).toBe(rejections[0]);
    expect(rejectedBy(['a', 'y', 'z'], rejections)).toBeUndefined();
  });
});

describe('the marking of a confirmed campaign', () => {
  it('is the strictest member\'s; under RED, for those every RED member names', () => {
    expect(strictestMarking([{ tlp: 'green', recipients: [] }, { tlp: 'amber', recipients: [] }])).toEqual({ tlp: 'amber', recipients: [] });
    expect(strictestMarking([{ tlp: 'amber+strict', recipients: [] }, { tlp: 'amber', recipients: [] }])).toEqual({ tlp: 'amber+strict', recipients: [] });
    expect(strictestMarking([{ tlp: 'red', recipients: ['a', 'b', 'c'] }, { tlp: 'amber', recipients: [] }, { tlp: 'red', recipients: ['c', 'b'] }])).toEqual({ tlp: 'red', recipients: ['b', 'c'] });
    expect(strictestMarking([{ tlp: 'clear', recipients: [] }])).toEqual({ tlp: 'clear', recipients: [] });
  });
});
