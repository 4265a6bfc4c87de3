import { HUB_EXTENSION_ID } from '../../domain/hub-extension';
import { TLP2_MARKING_REFS } from '../../domain/tlp';
import type { Audience } from '../sharing/sharing-rules';

/**
 * The STIX objects a report about an indicator becomes (issue 14): a `sighting` for "we saw it", an
 * `opinion` (strongly-disagree) for "it is a false positive". Neither carries anything from the
 * reporter's logs: only the indicator, how often, when, and who (the reporter's identity, or the
 * hub's where attribution is hidden).
 */

type StixObject = Record<string, unknown>;

export interface SightingContent {
  readonly id: string;
  readonly indicatorId: string;
  readonly count: number;
  /** STIX timestamps (UTC, microseconds), when the reporter gave them. */
  readonly firstSeen?: string;
  readonly lastSeen?: string;
}

/** The marking of a report: its TLP reference, and for TLP:RED the organizations named (as indicators name them). */
function marked(audience: Audience): StixObject {
  return {
    object_marking_refs: [TLP2_MARKING_REFS[audience.tlp]],
    ...(audience.tlp === 'red' && audience.recipients.length > 0
      ? { extensions: { [HUB_EXTENSION_ID]: { extension_type: 'property-extension', red_recipients: [...audience.recipients] } } }
      : {}),
  };
}

/** `where_sighted_refs` and `created_by_ref` both name `reporter`: the organization that saw it is the one that says so. */
export function sightingObject(content: SightingContent, reporter: string, created: string, audience: Audience): StixObject {
  return {
    type: 'sighting',
    spec_version: '2.1',
    id: content.id,
    created,
    modified: created,
    created_by_ref: reporter,
    sighting_of_ref: content.indicatorId,
    count: content.count,
    ...(content.firstSeen !== undefined ? { first_seen: content.firstSeen } : {}),
    ...(content.lastSeen !== undefined ? { last_seen: content.lastSeen } : {}),
    where_sighted_refs: [reporter],
    ...marked(audience),
  };
}

/** The STIX opinion value of a false-positive report. */
export const FALSE_POSITIVE_OPINION = 'strongly-disagree';

/** No `authors`: a person's name would say more than the organization chose to (and hidden attribution hides even that). */
export function falsePositiveObject(id: string, indicatorId: string, explanation: string, reporter: string, created: string, audience: Audience): StixObject {
  return {
    type: 'opinion',
    spec_version: '2.1',
    id,
    created,
    modified: created,
    created_by_ref: reporter,
    opinion: FALSE_POSITIVE_OPINION,
    explanation,
    object_refs: [indicatorId],
    ...marked(audience),
  };
}
