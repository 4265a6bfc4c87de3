import fc from 'fast-check';
import type { ReadScope } from '../../../../src/access/read-scope';
import type { TlpLevel } from '../../../../src/domain/tenancy';
import { AudienceClusters } from '../../../../src/services/analysis/campaigns/audience-clusters';
import { audienceTextOf, draftCandidates, readableBy, type DraftCandidate, type ReaderAudience } from '../../../../src/services/analysis/campaigns/candidate-listing';
import { GraphState } from '../../../../src/services/analysis/campaigns/shared-key-graph';
import type { GraphRow } from '../../../../src/storage/campaign-store';

/**
 * An audience's candidates kept up to date from the graph's changes equal the candidates worked out
 * over the whole graph after every step: heads gaining keys, newer versions replacing older ones,
 * heads leaving (found inactive), the graph absorbing a rebuild from the store (a head lost, one
 * the catch-ups missed), and the clock moving heads out of the window or past valid_until;
 * for an operator's audience and for filtered ones (a hidden head never bridges or counts).
 */

const DAY = 86_400_000_000;
const NOW = 1_800_000_000_000_000;
const MARKINGS: TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

type Step =
  | { kind: 'add'; object: number; collection: number; key: number; provider: number; tlp: number; submission: number; ageHours: number; validHours: number | null; recipient: boolean }
  | { kind: 'remove'; pick: number }
  | { kind: 'tick'; hours: number }
  /** The graph rebuilt from the store and absorbed: the store lost the `drop`-th head (if any) and holds `extra` (a head the catch-ups missed). */
  | { kind: 'absorb'; drop: number; extra: Step & { kind: 'add' } };

const addStep = fc.record({ kind: fc.constant('add' as const), object: fc.nat(14), collection: fc.nat(1), key: fc.nat(7), provider: fc.nat(2), tlp: fc.nat(4), submission: fc.nat(3), ageHours: fc.nat(60), validHours: fc.option(fc.nat(30), { nil: null }), recipient: fc.boolean() });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: addStep },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('absorb' as const), drop: fc.nat(50), extra: addStep }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(50) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const), hours: fc.nat(12) }) },
);

const filtered = (self: string, amber: string[], strict: string[]): ReadScope => ({ kind: 'filtered', self, openMarkings: ['clear', 'green'], amberProviders: amber, strictProviders: strict, redRecipient: self, defaultMarking: 'amber' });

const AUDIENCES: Record<string, ReaderAudience> = {
  operator: { readable: [{ collectionId: 'c0', scope: { kind: 'all' } }, { collectionId: 'c1', scope: { kind: 'all' } }], attributed: new Set() },
  o0: { readable: [{ collectionId: 'c0', scope: filtered('o0', ['o1'], []) }, { collectionId: 'c1', scope: filtered('o0', ['o1', 'o2'], ['o1']) }], attributed: new Set() },
  o2: { readable: [{ collectionId: 'c1', scope: filtered('o2', [], []) }], attributed: new Set() },
};

const summary = (drafts: readonly DraftCandidate[]) => drafts.map((d) => ({ id: d.id, members: d.members.map((m) => `${m.collectionId}/${m.dateAdded}`), shared: d.sharedKeys, lastAdded: d.lastAdded }));

describe('an audience\'s clusters kept up to date incrementally', () => {
  it.each(Object.keys(AUDIENCES))('equal the clusters worked out afresh after every change, for audience %s', (name) => {
    const audience = AUDIENCES[name] as ReaderAudience;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 2 }), (steps, minIndicators, minSubmissions) => {
        const thresholds = { minIndicators, minSubmissions, windowDays: 2 };
        const graph = new GraphState(0);
        let now = NOW;
        let stamp = NOW - 3 * DAY;
        const settings = { readable: readableBy(audience), thresholds, secret: 's', audienceText: audienceTextOf(audience) };
        const clusters = new AudienceClusters({ view: graph, ...settings }, now);
        const rowOf = (s: Step & { kind: 'add' }): GraphRow => {
          stamp += 1;
          return {
            collectionId: `c${s.collection}`,
            id: `indicator--${s.object}`,
            dateAdded: now - s.ageHours * 3_600_000_000 + (stamp % 1000),
            firstAdded: now - s.ageHours * 3_600_000_000,
            providerOrgId: `o${s.provider}`,
            tlp: MARKINGS[s.tlp] as TlpLevel,
            recipients: s.recipient ? ['o0', 'o2'] : [],
            namedReaders: [],
            submission: `s${s.submission}`,
            validUntil: s.validHours === null ? null : now + s.validHours * 3_600_000_000,
            key: `k${s.key}`,
          };
        };
        for (const s of steps) {
          if (s.kind === 'add') graph.add(rowOf(s));
          else if (s.kind === 'absorb') {
            const fresh = new GraphState(0);
            const refs = [...graph.nodes.keys()];
            const dropped = refs.length > 0 ? refs[s.drop % refs.length] : undefined;
            for (const [ref, head] of graph.nodes) if (ref !== dropped) for (const key of graph.keysOf(ref)) fresh.add({ ...head, key });
            fresh.add(rowOf(s.extra));
            graph.absorb(fresh);
            expect([...graph.nodes.keys()].sort()).toEqual([...fresh.nodes.keys()].sort());
          } else if (s.kind === 'remove') {
            const refs = [...graph.nodes.keys()];
            if (refs.length > 0) graph.remove(refs[s.pick % refs.length] as string);
          } else now += s.hours * 3_600_000_000;
          const kept = clusters.draftsAt(graph, now);
          expect(kept).toBeDefined();
          expect(summary(kept as DraftCandidate[])).toEqual(summary(draftCandidates(graph, audience, thresholds, now, 's')));
        }
        // Clustering afresh over the final graph gives the same as well.
        expect(summary(new AudienceClusters({ view: graph, ...settings }, now).draftsAt(graph, now) as DraftCandidate[])).toEqual(summary(draftCandidates(graph, audience, thresholds, now, 's')));
      }),
      { numRuns: 300 },
    );
  });

  it('cannot follow another graph, a clock that went back, or changes the graph no longer holds', () => {
    const audience = AUDIENCES.operator as ReaderAudience;
    const graph = new GraphState(0);
    const clusters = new AudienceClusters({ view: graph, readable: readableBy(audience), thresholds: { minIndicators: 2, minSubmissions: 1, windowDays: 2 }, secret: 's', audienceText: audienceTextOf(audience) }, NOW);
    expect(clusters.draftsAt(new GraphState(0), NOW)).toBeUndefined();
    expect(clusters.draftsAt(graph, NOW - 1)).toBeUndefined();
    graph.settle();
    const row = { collectionId: 'c0', id: 'indicator--1', dateAdded: NOW, firstAdded: NOW, providerOrgId: 'o0', tlp: 'clear' as const, recipients: [], namedReaders: [], submission: 's', validUntil: null, key: 'k' };
    graph.add(row);
    graph.settle();
    expect(clusters.draftsAt(graph, NOW)).toBeUndefined();
  });
});
