import { matchEntriesOf } from '../../../domain/matching';
import { stateOf } from '../../../domain/lifecycle/indicator-state';
import { tlpFromMarkingRefs } from '../../../domain/tlp';
import { indicatorLine, keyOf, parseIndicatorLine, type CollectionState } from './mirror-lines';

/**
 * What a sync holds in memory: every indicator line by key, the identities, campaigns and
 * campaign→indicator relationships (to name campaigns and providers), and the collections' states.
 * Each change returns nothing but records the lines that say it in `pending`; the sync writes them
 * as one committed batch per page (mirror-files.ts).
 */

type StixObject = Readonly<Record<string, unknown>>;

export interface MirrorCounts {
  objects: number;
  removed: number;
}

export class MirrorState {
  readonly indicators = new Map<string, string>();
  readonly identities = new Map<string, string | null>();
  readonly campaigns = new Map<string, string>();
  /** relationship key → [campaign id, indicator id] */
  readonly relationships = new Map<string, readonly [string, string]>();
  /** indicator key → the relationship ids naming it */
  readonly campaignLinks = new Map<string, Set<string>>();
  readonly collections = new Map<string, CollectionState>();
  pending: string[] = [];
  /** Identities indicators name that were not known (or named no provider) when their lines were written. */
  private readonly unresolved = new Set<string>();

  /** Applies one line of the data file or a committed journal batch (rebuilding the state). */
  replay(line: string): void {
    if (line.startsWith('["i","')) {
      this.replayIndicator(line);
      return;
    }
    const row = JSON.parse(line) as unknown[];
    const col = row[1] as string;
    switch (row[0]) {
      case 'i':
        this.indicators.set(keyOf(col, row[2] as string), line);
        if (row[5] !== null && row[6] === null) this.unresolved.add(row[5] as string);
        break;
      case '-i':
        this.indicators.delete(keyOf(col, row[2] as string));
        break;
      case 'p':
        this.identities.set(row[1] as string, row[2] as string | null);
        break;
      case 'c':
        this.campaigns.set(keyOf(col, row[2] as string), row[3] as string);
        break;
      case '-c':
        this.campaigns.delete(keyOf(col, row[2] as string));
        break;
      case 'r':
        this.link(col, row[2] as string, row[3] as string, row[4] as string);
        break;
      case '-r':
        this.unlink(col, row[2] as string);
        break;
      case 'k':
        if (row[2] === null) this.collections.delete(col);
        else this.collections.set(col, row[2] as CollectionState);
        break;
      default:
        throw new Error(`the mirror holds a line it does not know: ${line.slice(0, 80)}`);
    }
  }

  /**
   * An indicator line without parsing all of it (a million of them are read at every sync): its
   * collection and id, and whether it waits for its provider's name. Ids and collections are
   * written by JSON.stringify and hold no quote, so the fields end at the next one.
   */
  private replayIndicator(line: string): void {
    const idStart = line.indexOf('","', 6) + 3;
    const idEnd = line.indexOf('"', idStart);
    this.indicators.set(keyOf(line.slice(6, idStart - 3), line.slice(idStart, idEnd)), line);
    // ..., dateAdded, "tlp", createdBy, provider, ...
    const tlpEnd = line.indexOf('"', line.indexOf('"', idEnd + 1) + 1);
    if (line.startsWith(',"', tlpEnd + 1)) {
      const byEnd = line.indexOf('"', tlpEnd + 3);
      if (line.startsWith(',null,', byEnd + 1)) this.unresolved.add(line.slice(tlpEnd + 3, byEnd));
    }
  }

  /** Every line of the state, for a new data file: names first, then indicators. */
  *lines(): Generator<string> {
    for (const [id, name] of this.identities) yield JSON.stringify(['p', id, name]);
    for (const [key, name] of this.campaigns) yield JSON.stringify(['c', ...key.split('\n'), name]);
    for (const [key, [campaign, indicator]] of this.relationships) yield JSON.stringify(['r', ...key.split('\n'), campaign, indicator]);
    yield* this.indicators.values();
  }

  dateAddedOf(collection: string, id: string): number | undefined {
    const line = this.indicators.get(keyOf(collection, id));
    return line === undefined ? undefined : (JSON.parse(line) as unknown[])[3] as number;
  }

  /** Applies an object as the collection's current version, known current at `dateAdded`. */
  put(collection: string, object: StixObject, dateAdded: number, counts: MirrorCounts, nowMicros: number): void {
    const id = object.id;
    if (typeof id !== 'string') return;
    switch (object.type) {
      case 'indicator':
        this.putIndicator(collection, object, dateAdded, counts, nowMicros);
        return;
      case 'identity':
        this.putIdentity(object);
        return;
      case 'campaign':
        this.putCampaign(collection, object);
        return;
      case 'relationship':
        this.putRelationship(collection, object);
        return;
      default:
    }
  }

  /** Forgets an object (deleted, purged, access lost, revoked). */
  remove(collection: string, id: string, counts: MirrorCounts): void {
    const key = keyOf(collection, id);
    if (this.indicators.delete(key)) {
      this.pending.push(JSON.stringify(['-i', collection, id]));
      counts.removed += 1;
    } else if (this.campaigns.has(key)) {
      this.campaigns.delete(key);
      this.pending.push(JSON.stringify(['-c', collection, id]));
      this.renameLinked(collection, (_rel, [campaign]) => campaign === id);
    } else if (this.relationships.has(key)) {
      const [, indicator] = this.relationships.get(key) as readonly [string, string];
      this.unlink(collection, id);
      this.pending.push(JSON.stringify(['-r', collection, id]));
      this.refresh(collection, indicator);
    }
  }

  /** The indicators of a collection (their ids). */
  *indicatorIds(collection: string): Generator<string> {
    const prefix = `${collection}\n`;
    for (const key of this.indicators.keys()) if (key.startsWith(prefix)) yield key.slice(prefix.length);
  }

  private putIndicator(collection: string, object: StixObject, dateAdded: number, counts: MirrorCounts, nowMicros: number): void {
    const id = object.id as string;
    // Revoked and benign indicators leave (both carry revoked: true, so stateOf is asked only
    // then); expired ones stay (the index does not match them past valid_until, and a new version
    // may extend them).
    if (object.revoked === true && ['revoked', 'benign'].includes(stateOf(object, nowMicros))) {
      this.remove(collection, id, counts);
      return;
    }
    const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs.filter((r): r is string => typeof r === 'string') : [];
    // An unmarked object (not from a taxii-hub, which marks everything) is taken as AMBER: never shown as freer than it may be.
    const tlp = tlpFromMarkingRefs(refs) ?? 'amber';
    const createdBy = typeof object.created_by_ref === 'string' ? object.created_by_ref : null;
    const provider = createdBy === null ? null : (this.identities.get(createdBy) ?? null);
    if (createdBy !== null && provider === null) this.unresolved.add(createdBy);
    const campaigns = this.campaignNames(collection, id);
    const entries = matchEntriesOf(object, { collection, tlp, campaigns, ...(provider !== null ? { provider } : {}) });
    if (entries.length === 0) {
      this.remove(collection, id, counts); // no value a log can show (an AND of fields, a qualifier …)
      return;
    }
    const first = entries[0];
    const line = indicatorLine({
      collection,
      id,
      dateAdded,
      tlp,
      createdBy,
      provider,
      validUntilMicros: first?.validUntilMicros ?? null,
      confidence: first?.confidence ?? null,
      campaigns,
      values: entries.map((e) => [e.kind, e.value, e.algorithm ?? null] as const),
    });
    counts.objects += 1;
    const key = keyOf(collection, id);
    if (this.indicators.get(key) === line) return; // the same again (it came by TAXII and by the change feed)
    this.indicators.set(key, line);
    this.pending.push(line);
  }

  private putIdentity(object: StixObject): void {
    const id = object.id as string;
    // The hub's own identity creates the objects of collections that do not name their providers.
    const name = object.identity_class === 'system' || typeof object.name !== 'string' ? null : object.name;
    const known = this.identities.has(id);
    if (known && this.identities.get(id) === name) return;
    this.identities.set(id, name);
    this.pending.push(JSON.stringify(['p', id, name]));
    // Lines to rewrite only when some indicator named it before it came, or its name changed.
    if (!known && !this.unresolved.delete(id)) return;
    for (const key of this.indicators.keys()) {
      const line = this.indicators.get(key) as string;
      if (!line.includes(id)) continue;
      const row = parseIndicatorLine(JSON.parse(line) as unknown[]);
      if (row.createdBy === id) this.rewrite(key, { ...row, provider: name });
    }
  }

  private putCampaign(collection: string, object: StixObject): void {
    const id = object.id as string;
    if (object.revoked === true) {
      this.remove(collection, id, { objects: 0, removed: 0 });
      return;
    }
    const name = typeof object.name === 'string' ? object.name : id;
    const key = keyOf(collection, id);
    if (this.campaigns.get(key) === name) return;
    this.campaigns.set(key, name);
    this.pending.push(JSON.stringify(['c', collection, id, name]));
    this.renameLinked(collection, (_rel, [campaign]) => campaign === id);
  }

  private putRelationship(collection: string, object: StixObject): void {
    const id = object.id as string;
    // STIX 2.1 `indicates` points from the indicator to what it indicates (the hub writes indicator -> campaign).
    const indicator = object.source_ref;
    const campaign = object.target_ref;
    const names = object.relationship_type === 'indicates' && typeof indicator === 'string' && indicator.startsWith('indicator--') && typeof campaign === 'string' && campaign.startsWith('campaign--');
    if (!names || object.revoked === true) {
      if (this.relationships.has(keyOf(collection, id))) this.remove(collection, id, { objects: 0, removed: 0 });
      return;
    }
    const known = this.relationships.get(keyOf(collection, id));
    if (known !== undefined && known[0] === campaign && known[1] === indicator) return;
    if (known !== undefined) this.unlink(collection, id);
    this.link(collection, id, campaign, indicator);
    this.pending.push(JSON.stringify(['r', collection, id, campaign, indicator]));
    if (known !== undefined) this.refresh(collection, known[1]);
    this.refresh(collection, indicator);
  }

  private link(collection: string, relationship: string, campaign: string, indicator: string): void {
    this.relationships.set(keyOf(collection, relationship), [campaign, indicator]);
    const key = keyOf(collection, indicator);
    let links = this.campaignLinks.get(key);
    if (links === undefined) this.campaignLinks.set(key, (links = new Set()));
    links.add(relationship);
  }

  private unlink(collection: string, relationship: string): void {
    const known = this.relationships.get(keyOf(collection, relationship));
    if (known === undefined) return;
    this.relationships.delete(keyOf(collection, relationship));
    const key = keyOf(collection, known[1]);
    const links = this.campaignLinks.get(key);
    links?.delete(relationship);
    if (links?.size === 0) this.campaignLinks.delete(key);
  }

  private campaignNames(collection: string, indicator: string): string[] {
    const links = this.campaignLinks.get(keyOf(collection, indicator));
    if (links === undefined) return [];
    const names = new Set<string>();
    for (const relationship of links) {
      const campaign = this.relationships.get(keyOf(collection, relationship))?.[0];
      const name = campaign === undefined ? undefined : this.campaigns.get(keyOf(collection, campaign));
      if (name !== undefined) names.add(name);
    }
    return [...names].sort();
  }

  /** Rewrites the lines of the indicators a campaign names (its name changed, came or went). */
  private renameLinked(collection: string, matches: (relationship: string, link: readonly [string, string]) => boolean): void {
    const prefix = `${collection}\n`;
    for (const [key, link] of this.relationships) {
      if (key.startsWith(prefix) && matches(key.slice(prefix.length), link)) this.refresh(collection, link[1]);
    }
  }

  /** Rewrites an indicator's line with its campaigns' names as they are now. */
  private refresh(collection: string, indicator: string): void {
    const key = keyOf(collection, indicator);
    const line = this.indicators.get(key);
    if (line === undefined) return;
    const row = parseIndicatorLine(JSON.parse(line) as unknown[]);
    this.rewrite(key, { ...row, campaigns: this.campaignNames(collection, indicator) });
  }

  private rewrite(key: string, row: Parameters<typeof indicatorLine>[0]): void {
    const line = indicatorLine(row);
    if (this.indicators.get(key) === line) return;
    this.indicators.set(key, line);
    this.pending.push(line);
  }

  /** The lines recorded since the last call. */
  take(): string[] {
    const lines = this.pending;
    this.pending = [];
    return lines;
  }
}
