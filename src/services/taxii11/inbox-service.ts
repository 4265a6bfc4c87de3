import { hubError } from '../../domain/errors';
import { actorName, type Principal } from '../../domain/principal';
import { nowMicros } from '../../domain/timestamps';
import type { XmlElement } from '../../domain/xml/xml-element';
import type { ObjectStore } from '../../storage/object-store';
import type { TenancyStore } from '../../storage/tenancy-store';
import type { StixValidator } from '../../validation/stix-validator';
import type { PolicyService } from '../policy-service';
import { hubIdentityOf, type HubIdentity } from '../sharing/hub-identity';
import { sharingRules } from '../sharing/sharing-rules';
import { OFFERED_CONTENT_BINDINGS } from '../../domain/taxii11/taxii-identifiers';
import { readStix1Package, STIX1_CONTENT_BINDINGS, type Stix1PackageReader } from './inbox-bridge';
import type { Destination, InboxDestinations } from './inbox-destinations';
import { boundedList, nothingToStoreText, refusalProblems, refusedText, successText, type UnmappedEntry } from './inbox-status-text';
import { writeInboxItems, type InboxItem, type InboxRefusal } from './inbox-writer';

/**
 * The TAXII 1.1 Inbox (Svc §3.2, checklist I-01..I-10): STIX 1.x packages go through the STIX 1.x →
 * 2.1 bridge into the checks and the store of TAXII 2.1 Add Objects, all or nothing.
 *
 * The order of questions: authenticated? destinations (I-04, I-05)? content bindings (I-07)? every
 * block parsed and a STIX package? then every indicator of every block, in one transaction over every
 * destination collection. Any refusal rolls the whole transaction back (I-02): the answer is
 * CONTENT_REFUSED naming every refused indicator and why. A failure is thrown as a catalogued
 * HubError, which the TAXII 1.1 edge renders as a Status_Message; success is returned.
 *
 * Content bindings: a message with a block in another binding than STIX 1.x is refused whole
 * (UNSUPPORTED_CONTENT, naming the blocks), even when other blocks are STIX: the client learns what
 * was not taken instead of a SUCCESS that silently dropped part of its message.
 *
 * Several destinations are written atomically: one transaction locks every destination's clock (in
 * collection-id order) and each indicator is stored in each collection (a hub id per collection).
 */

export type InboxContent = { readonly kind: 'xml'; readonly root: XmlElement } | { readonly kind: 'unparsable'; readonly problem: string };

export interface InboxBlock {
  readonly bindingId: string;
  readonly content: InboxContent;
}

export interface InboxMessage {
  /** Destination_Collection_Name values (TAXII 1.1 names: a collection's alias, else its id). */
  readonly destinations: readonly string[];
  readonly blocks: readonly InboxBlock[];
}

/** A SUCCESS: what the Status_Message says (`message`) and the figures behind it. */
export interface InboxOutcome {
  readonly status: 'SUCCESS';
  readonly message: string;
  /** The collections written, by TAXII 1.1 name and id. */
  readonly collections: readonly { readonly name: string; readonly id: string }[];
  /** Indicators the message held (each stored in every collection). */
  readonly indicators: number;
  /** Versions stored anew, over every collection. */
  readonly added: number;
  /** Versions found identical in store, over every collection. */
  readonly alreadyPresent: number;
  /** What the bridge does not map, not stored. */
  readonly unmapped: readonly UnmappedEntry[];
}

export interface Taxii11InboxService {
  /**
   * Receives one Inbox_Message. Throws AUTHENTICATION_REQUIRED, DESTINATION_COLLECTION_ERROR,
   * NOT_FOUND, FORBIDDEN, UNSUPPORTED_CONTENT_BINDING or CONTENT_REFUSED, and then nothing of the
   * message is stored.
   */
  receive(who: Principal | undefined, message: InboxMessage): Promise<InboxOutcome>;
}

export interface Taxii11InboxDeps {
  readonly destinations: InboxDestinations;
  /** The STIX 1.x → 2.1 bridge; readStix1Package unless given. */
  readonly readPackage?: Stix1PackageReader;
  readonly objects: Pick<ObjectStore, 'writeLockedMany' | 'hubIdentityId'>;
  readonly organizations: Pick<TenancyStore['organizations'], 'get'>;
  readonly policy: Pick<PolicyService, 'current'>;
  /** The STIX validator of TAXII 2.1 Add Objects (created once: compiling it is slow). */
  readonly validate: StixValidator;
  readonly hubIdentity?: HubIdentity;
  readonly now?: () => number;
}

/** Thrown inside the transaction to roll it back; never leaves the service. */
class Refused extends Error {
  constructor(readonly refusals: readonly InboxRefusal[]) {
    super('inbox: refused');
  }
}

export function createTaxii11InboxService(deps: Taxii11InboxDeps): Taxii11InboxService {
  const now = deps.now ?? Date.now;
  const hubIdentity = deps.hubIdentity ?? hubIdentityOf(deps.objects);
  const readPackage = deps.readPackage ?? readStix1Package;

  async function destinationsOf(who: Principal, names: readonly string[]): Promise<Destination[]> {
    if (names.length === 0) {
      const writable = await deps.destinations.writableCollections(who);
      if (writable.length === 1) return writable;
      throw hubError('DESTINATION_COLLECTION_ERROR', {
        description:
          writable.length === 0
            ? 'You may not write to any collection'
            : `Name a Destination_Collection_Name: you may write to ${writable.length} collections`,
        statusDetails: writable.map((d) => ({ name: 'ACCEPTABLE_DESTINATION', value: d.name })),
      });
    }
    const resolved: Destination[] = [];
    for (const name of names) {
      const destination = await deps.destinations.resolveWritable(who, name);
      if (!resolved.some((d) => d.collection.id === destination.collection.id)) resolved.push(destination);
    }
    return resolved;
  }

  function checkBindings(blocks: readonly InboxBlock[]): void {
    const unsupported = blocks.flatMap((b, i) => (STIX1_CONTENT_BINDINGS.has(b.bindingId) ? [] : [`block ${i + 1} (${b.bindingId})`]));
    if (unsupported.length === 0) return;
    const none = unsupported.length === blocks.length;
    throw hubError('UNSUPPORTED_CONTENT_BINDING', {
      description: `${none ? 'No content block is STIX 1.x' : 'Nothing of this message was stored: some content blocks are not STIX 1.x'}: ${boundedList(unsupported)}`,
      statusDetails: OFFERED_CONTENT_BINDINGS.map((value) => ({ name: 'SUPPORTED_CONTENT', value })),
    });
  }

  /** The bridged indicators, the bridge's refusals and what it does not map, over every block. */
  function bridge(blocks: readonly InboxBlock[]): { items: InboxItem[]; refusals: InboxRefusal[]; unmapped: UnmappedEntry[]; total: number } {
    const items: InboxItem[] = [];
    const refusals: InboxRefusal[] = [];
    const unmapped: UnmappedEntry[] = [];
    const unreadable: string[] = [];
    let total = 0;
    blocks.forEach((b, i) => {
      const block = i + 1;
      if (b.content.kind === 'unparsable') {
        unreadable.push(`block ${block}: ${b.content.problem}`);
        return;
      }
      const reading = readPackage(b.content.root);
      if (!reading.ok) {
        unreadable.push(`block ${block}: ${reading.reason}`);
        return;
      }
      for (const indicator of reading.indicators) {
        total += 1;
        if (indicator.ok) items.push({ block, stix1Id: indicator.stix1Id, indicator: indicator.indicator });
        else refusals.push({ block, stix1Id: indicator.stix1Id, reason: indicator.reason });
      }
      for (const u of reading.unmapped) unmapped.push({ block, ...u });
    });
    if (unreadable.length > 0) {
      throw hubError('CONTENT_REFUSED', {
        description: `Nothing of this message was stored: ${unreadable.length === 1 ? 'a content block is' : 'content blocks are'} not a readable STIX 1.x package: ${boundedList(unreadable)}`,
        problems: unreadable.map((u) => ({ path: u.slice(0, u.indexOf(':')), message: u.slice(u.indexOf(':') + 2) })),
      });
    }
    return { items, refusals, unmapped, total };
  }

  return {
    async receive(who, message) {
      if (who === undefined) throw hubError('AUTHENTICATION_REQUIRED', 'Send HTTP Basic credentials or an API key');
      const destinations = await destinationsOf(who, message.destinations);
      checkBindings(message.blocks);
      const { items, refusals: bridged, unmapped, total } = bridge(message.blocks);
      if (total === 0 && unmapped.length > 0) {
        throw hubError('CONTENT_REFUSED', { description: nothingToStoreText(unmapped), problems: unmapped.map((u) => ({ path: `block ${u.block}`, message: `${u.what}: ${u.reason}` })) });
      }
      const provider = await deps.organizations.get(who.organizationId);
      if (provider === undefined) throw hubError('FORBIDDEN', 'Your organization no longer exists');

      const at = now();
      const policy = await deps.policy.current();
      const hubIdentityId = await hubIdentity();
      const collections = destinations.map((d) => ({ name: d.name, id: d.collection.id }));
      let added = 0;
      let alreadyPresent = 0;
      if (total > 0) {
        try {
          await deps.objects.writeLockedMany(collections.map((c) => c.id), nowMicros(() => at), async (sessions) => {
            const refusals = [...bridged];
            for (const d of destinations) {
              const result = await writeInboxItems(sessions.get(d.collection.id) as NonNullable<ReturnType<typeof sessions.get>>, {
                collection: d.collection,
                name: d.name,
                provider: { id: provider.id, name: provider.name },
                actor: actorName(who),
                nowMillis: at,
                nowMicros: nowMicros(() => at),
                items,
                rules: sharingRules(policy, d.collection.id),
                organizationIds: policy.organizationIds,
                hubIdentityId,
                validate: deps.validate,
              });
              added += result.added;
              alreadyPresent += result.alreadyPresent;
              refusals.push(...result.refusals);
            }
            if (refusals.length > 0) throw new Refused(distinct(refusals));
          });
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          throw hubError('CONTENT_REFUSED', { description: refusedText(error.refusals, total), problems: refusalProblems(error.refusals) });
        }
      }
      const message_ = successText({ added, alreadyPresent, indicators: total }, collections.map((c) => c.name), unmapped);
      return { status: 'SUCCESS', message: message_, collections, indicators: total, added, alreadyPresent, unmapped };
    },
  };
}

/** The refusals without repeats (a check that fails in every destination is named once), in order. */
function distinct(refusals: readonly InboxRefusal[]): InboxRefusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => {
    const key = `${r.block}\u0000${r.stix1Id}\u0000${r.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
