import { indicatorFigures } from '../../../src/services/sightings/sighting-figures';
import type { ReporterFigures } from '../../../src/storage/sighting-store';

/** How one indicator's rows (one per reporting organization) add up, and who is shown the rows. */

const row = (reporterOrgId: string, extra: Partial<ReporterFigures> = {}): ReporterFigures => ({ indicatorId: 'indicator--1', reporterOrgId, sightings: 1, count: 1, falsePositives: 0, ...extra });

test('totals add counts, reports and false positives; first and last seen span every reporter; each organization counts once', () => {
  const rows = [
    row('west', { sightings: 2, count: 7, firstSeen: 2_000, lastSeen: 5_000 }),
    row('east', { sightings: 1, count: 3, firstSeen: 1_000, lastSeen: 3_000, falsePositives: 1 }),
    row('north', { sightings: 0, count: 0, falsePositives: 2 }),
  ];
  expect(indicatorFigures(rows, false)).toEqual({ count: 10, reports: 3, organizations: 3, firstSeen: 1_000, lastSeen: 5_000, falsePositives: 3 });
});

test('by organization only when detailed, sorted by organization', () => {
  const figures = indicatorFigures([row('west', { count: 2 }), row('east')], true);
  expect(figures.byOrganization?.map((o) => [o.organization, o.count])).toEqual([['east', 1], ['west', 2]]);
  expect(indicatorFigures([row('west')], false).byOrganization).toBeUndefined();
});

test('no readable report: zeros and no times', () => {
  expect(indicatorFigures([], true)).toEqual({ count: 0, reports: 0, organizations: 0, falsePositives: 0, byOrganization: [] });
});
