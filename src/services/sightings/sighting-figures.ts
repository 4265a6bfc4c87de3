import type { ReporterFigures } from '../../storage/sighting-store';

/**
 * The figures of one indicator as one caller sees them (issue 14 §3): totals over the reports it may
 * read, and — only for operators, and for the indicator's provider where the collection's attribution
 * is not hidden — the same per reporting organization.
 */
export interface OrganizationFigures {
  readonly organization: string;
  readonly count: number;
  readonly reports: number;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  readonly falsePositives: number;
}

export interface IndicatorFigures {
  /** The sum of the sightings' `count`. */
  readonly count: number;
  /** How many sighting objects. */
  readonly reports: number;
  /** How many organizations reported a sighting or a false positive. */
  readonly organizations: number;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  readonly falsePositives: number;
  readonly byOrganization?: readonly OrganizationFigures[];
}

const earlier = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
const later = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));

/** Adds up one indicator's rows (one per reporting organization); `detailed` keeps the rows as by_organization. */
export function indicatorFigures(rows: readonly ReporterFigures[], detailed: boolean): IndicatorFigures {
  let total: Omit<IndicatorFigures, 'byOrganization'> = { count: 0, reports: 0, organizations: 0, falsePositives: 0 };
  for (const row of rows) {
    const firstSeen = earlier(total.firstSeen, row.firstSeen);
    const lastSeen = later(total.lastSeen, row.lastSeen);
    total = {
      count: total.count + row.count,
      reports: total.reports + row.sightings,
      organizations: total.organizations + (row.sightings > 0 || row.falsePositives > 0 ? 1 : 0),
      falsePositives: total.falsePositives + row.falsePositives,
      ...(firstSeen !== undefined ? { firstSeen } : {}),
      ...(lastSeen !== undefined ? { lastSeen } : {}),
    };
  }
  if (!detailed) return total;
  const byOrganization = [...rows]
    .sort((a, b) => (a.reporterOrgId < b.reporterOrgId ? -1 : a.reporterOrgId > b.reporterOrgId ? 1 : 0))
    .map((row) => ({
      organization: row.reporterOrgId,
      count: row.count,
      reports: row.sightings,
      ...(row.firstSeen !== undefined ? { firstSeen: row.firstSeen } : {}),
      ...(row.lastSeen !== undefined ? { lastSeen: row.lastSeen } : {}),
      falsePositives: row.falsePositives,
    }));
  return { ...total, byOrganization };
}
