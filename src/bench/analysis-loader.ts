import { createHash, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { DEFAULT_VALIDITY_DAYS, normaliseIndicator } from '../domain/indicators';
import type { Principal } from '../domain/principal';
import { audienceKey, campaignObject, HUB_KEYS, relationshipObject } from '../domain/submission/hub-objects';
import { indicatorContent, indicatorVersion, nextModified, stixMillis } from '../domain/submission/indicator-object';
import { formatMicros, parseMicros } from '../domain/timestamps';
import { TLP2_MARKING_REFS } from '../domain/tlp';
import { createCollectionService } from '../services/collection-service';
import { createPolicyService } from '../services/policy-service';
import { hubIdentityOf } from '../services/sharing/hub-identity';
import { createSubmissionService } from '../services/submission-service';
import { dedupKey } from '../services/submission-items';
import type { NewObjectVersion } from '../storage/object-store';
import { referencesOf } from '../storage/sql/append-guard';
import type { Database } from '../storage/sql/database';
import { SqlObjectStore } from '../storage/sql/sql-object-store';
import type { TenancyStore } from '../storage/tenancy-store';
import { createStixValidator } from '../validation/stix-validator';
import { createSubmissionValidator } from '../validation/submission-validator';
import { SUBMITTERS, type Dataset, type Wave } from './analysis-dataset';

/**
 * Loads the analysis dataset fast, as the hub's submissions store it. The objects are built by the
 * write path's own functions (normaliseIndicator, indicatorContent/indicatorVersion, campaignObject,
 * relationshipObject, HUB_KEYS, referencesOf) and a sample passes the STIX validator; the rows carry
 * what the writer stores (is_head, valid_until, recipients, written_by, object_references,
 * indicator_keys, hub_object_keys, the collection clock, write_xact one per submission when the
 * column exists), in bulk INSERTs instead of one transaction per submission. Deduplication as the
 * writer does it: the same value from the same provider in the same collection is a new version of
 * its indicator (the previous loses is_head), and its campaign relationship is not repeated. The
 * identities per audience, the TLP definitions and the hub's identity and extension come from one
 * real submission per (collection, provider, audience) first ("seeds", through the submission
 * service). Only the clock is simulated: every wave is stored at its own time.
 */

const BATCH_ROWS = 5_000;
/** Every how many objects one goes through the STIX validator (they are all built alike). */
const VALIDATE_EVERY = 97;
/** write_xact values of the load, far above any transaction id a fresh database reaches. */
const XACT_BASE = 1_000_000_000_000;
const DAY_MICROS = 86_400_000_000;

export function principalOf(organizationId: string): Principal {
  const username = SUBMITTERS[organizationId];
  if (username === undefined) throw new Error(`no demo submitter for ${organizationId}`);
  return { userId: username, username, organizationId, roles: new Set(['provider', 'consumer']), via: 'local' };
}

/** The unified submission of a wave. */
export function waveDocument(wave: Wave): Record<string, unknown> {
  return {
    collection: wave.collection,
    valid_from: formatMicros(wave.atMillis * 1000),
    marking: wave.tlp === 'red' ? { tlp: 'red', recipients: wave.recipients } : { tlp: wave.tlp },
    confidence: confidenceOf(wave),
    ...(wave.campaign !== undefined ? { campaign: wave.campaign } : {}),
    indicators: wave.items,
  };
}

const confidenceOf = (wave: Wave) => 60 + (Math.floor(wave.atMillis / 1024) % 40);

export interface LoadFigures {
  readonly waves: number;
  readonly items: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly seconds: number;
}

interface Row {
  readonly dateAdded: number;
  readonly version: NewObjectVersion;
  readonly xact: number;
}

interface CollectionState {
  last: number;
  rows: Row[];
  demoted: number[];
  indicatorKeys: { provider: string; kind: string; value: string; id: string }[];
  hubKeys: { key: string; id: string }[];
}

/** Seeds: one real submission per (collection, provider, audience) of the dataset; the creator each names. */
async function seed(db: Database, store: TenancyStore, logger: Logger, dataset: Dataset): Promise<{ creators: Map<string, string>; hubIdentityId: string }> {
  const policy = createPolicyService({ store, logger });
  const objects = new SqlObjectStore(db);
  const hubIdentity = hubIdentityOf(objects);
  const submissions = createSubmissionService({
    hubIdentity,
    collections: createCollectionService({ store, policy }),
    store,
    objects,
    policy,
    validate: createSubmissionValidator(),
    validateStix: createStixValidator(),
    now: () => dataset.startMillis - 86_400_000,
  });
  const creators = new Map<string, string>();
  for (const wave of dataset.waves) {
    const key = `${wave.collection}|${wave.provider}|${audienceKey(wave.tlp, wave.recipients)}`;
    if (creators.has(key)) continue;
    const value = createHash('sha256').update(`seed ${key}`).digest('hex');
    const result = await submissions.submit(principalOf(wave.provider), { ...waveDocument({ ...wave, atMillis: dataset.startMillis - 86_400_000, items: [{ kind: 'file-hash', algorithm: 'sha256', value }] }), campaign: undefined });
    const item = result.items[0];
    if (item === undefined || item.outcome === 'rejected') throw new Error(`loader: the seed submission of ${key} was rejected: ${JSON.stringify(item)}`);
    const { rows } = await db.query<{ creator: string }>("SELECT object->>'created_by_ref' AS creator FROM stix_objects WHERE collection_id = $1 AND id = $2", [wave.collection, item.id]);
    creators.set(key, rows[0]?.creator as string);
  }
  return { creators, hubIdentityId: await hubIdentity() };
}

async function flush(db: Database, collectionId: string, state: CollectionState, withXact: boolean): Promise<void> {
  const rows = state.rows;
  if (rows.length === 0) return;
  const v = (r: Row) => r.version;
  const refs = referencesOf(rows.map(v));
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO stix_objects (collection_id, date_added, id, type, spec_version, version, provider_org_id, tlp, recipients, object, written_by, valid_until, is_head, named_readers${withXact ? ', write_xact' : ''})
       SELECT $1, x.d, x.i, x.t, '2.1', x.v, x.p, x.m, ARRAY(SELECT jsonb_array_elements_text(x.r)), x.o, x.w, x.u, true, '{}'${withXact ? ', x.xact' : ''}
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[], $11::bigint[], $12::bigint[]) AS x(d, i, t, v, p, m, r, o, w, u, xact)`,
      [
        collectionId,
        rows.map((r) => r.dateAdded),
        rows.map((r) => v(r).id),
        rows.map((r) => v(r).type),
        rows.map((r) => v(r).version),
        rows.map((r) => v(r).providerOrgId),
        rows.map((r) => v(r).tlp),
        rows.map((r) => JSON.stringify(v(r).recipients)),
        rows.map((r) => JSON.stringify(v(r).object)),
        rows.map((r) => v(r).writtenBy ?? null),
        rows.map((r) => (v(r).type === 'indicator' ? (parseMicros(String(v(r).object.valid_until)) ?? null) : null)),
        rows.map((r) => r.xact),
      ],
    );
    const sources: string[] = [];
    const targets: string[] = [];
    rows.forEach((r, i) => { for (const t of refs[i] ?? []) { sources.push(v(r).id); targets.push(t); } });
    await tx.query('INSERT INTO object_references (collection_id, target_id, source_id) SELECT $1, t, s FROM unnest($2::text[], $3::text[]) AS x(t, s) ON CONFLICT DO NOTHING', [collectionId, targets, sources]);
    if (state.demoted.length > 0) await tx.query('UPDATE stix_objects SET is_head = false WHERE collection_id = $1 AND date_added = ANY($2::bigint[])', [collectionId, state.demoted]);
    const k = state.indicatorKeys;
    if (k.length > 0) {
      await tx.query(
        `INSERT INTO indicator_keys (collection_id, provider_org_id, kind, value, object_id) SELECT $1, p, k, v, o FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(p, k, v, o)`,
        [collectionId, k.map((x) => x.provider), k.map((x) => x.kind), k.map((x) => x.value), k.map((x) => x.id)],
      );
    }
    if (state.hubKeys.length > 0) {
      await tx.query('INSERT INTO hub_object_keys (scope, key, object_id) SELECT $1, k, o FROM unnest($2::text[], $3::text[]) AS x(k, o)', [collectionId, state.hubKeys.map((h) => h.key), state.hubKeys.map((h) => h.id)]);
    }
    await tx.query('UPDATE collection_clocks SET last_date_added = GREATEST(last_date_added, $2) WHERE collection_id = $1', [collectionId, state.last]);
  });
  state.rows = [];
  state.demoted = [];
  state.indicatorKeys = [];
  state.hubKeys = [];
}

/** Writes every wave of the dataset; `progress` hears every ~200,000 indicators. */
export async function loadDataset(db: Database, store: TenancyStore, logger: Logger, dataset: Dataset, progress: (line: string) => void): Promise<LoadFigures> {
  const started = performance.now();
  const { creators, hubIdentityId } = await seed(db, store, logger, dataset);
  const withXact = (await db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'stix_objects' AND column_name = 'write_xact'")).rows.length > 0;
  const validate = createStixValidator();
  const states = new Map<string, CollectionState>();
  for (const { collection_id, last_date_added } of (await db.query<{ collection_id: string; last_date_added: string }>('SELECT collection_id, last_date_added FROM collection_clocks')).rows) {
    states.set(collection_id, { last: Number(last_date_added), rows: [], demoted: [], indicatorKeys: [], hubKeys: [] });
  }
  const indicators = new Map<string, { id: string; created: string; version: number; dateAdded: number }>();
  const hubObjects = new Map<string, string>();
  const totals = { created: 0, updated: 0, unchanged: 0 };
  let items = 0;
  let reported = 0;
  let built = 0;

  for (const [w, wave] of dataset.waves.entries()) {
    const state = states.get(wave.collection);
    if (state === undefined) throw new Error(`loader: no clock for ${wave.collection}`);
    const audience = audienceKey(wave.tlp, wave.recipients);
    const creator = creators.get(`${wave.collection}|${wave.provider}|${audience}`) ?? hubIdentityId;
    const now = stixMillis(wave.atMillis);
    const marking = [TLP2_MARKING_REFS[wave.tlp]];
    const recipients = wave.tlp === 'red' ? [...wave.recipients] : [];
    const xact = XACT_BASE + w;
    const add = (object: Record<string, unknown>) => {
      state.last = Math.max(state.last + 1, wave.atMillis * 1000);
      if (built++ % VALIDATE_EVERY === 0) {
        const checked = validate(object);
        if (!checked.ok) throw new Error(`loader: built an invalid ${String(object.type)}: ${JSON.stringify(checked.problems).slice(0, 500)}`);
      }
      const version: NewObjectVersion = { id: String(object.id), type: String(object.type), specVersion: '2.1', version: parseMicros(String(object.modified)) as number, providerOrgId: wave.provider, tlp: wave.tlp, recipients, object, writtenBy: SUBMITTERS[wave.provider] as string };
      state.rows.push({ dateAdded: state.last, version, xact });
      return state.last;
    };
    const hubObject = (key: string, type: string): { id: string; made: boolean } => {
      const scoped = `${wave.collection}|${key}`;
      const known = hubObjects.get(scoped);
      if (known !== undefined) return { id: known, made: false };
      const id = `${type}--${randomUUID()}`;
      hubObjects.set(scoped, id);
      state.hubKeys.push({ key, id });
      return { id, made: true };
    };
    let campaign: string | undefined;
    if (wave.campaign !== undefined) {
      const found = hubObject(HUB_KEYS.campaign(wave.provider, wave.campaign, audience), 'campaign');
      campaign = found.id;
      if (found.made) add(campaignObject(campaign, wave.campaign, creator, now, marking));
    }
    const seen = new Set<string>();
    const written: string[] = [];
    for (const input of wave.items) {
      items++;
      const normalised = normaliseIndicator(input);
      if (!normalised.ok) throw new Error(`loader: ${input.kind} ${input.value} refused: ${normalised.message}`);
      const ind = normalised.indicator;
      const dedup = dedupKey(ind);
      const key = `${wave.collection}\u0000${wave.provider}\u0000${dedup.kind}\u0000${dedup.value}`;
      if (seen.has(key)) { totals.unchanged++; continue; }
      seen.add(key);
      const validFrom = formatMicros(wave.atMillis * 1000);
      const content = indicatorContent(ind, { providerIdentityId: creator, tlp: wave.tlp, recipients, confidence: confidenceOf(wave), validFrom, validUntil: formatMicros(wave.atMillis * 1000 + DEFAULT_VALIDITY_DAYS[ind.kind] * DAY_MICROS) });
      const previous = indicators.get(key);
      if (previous === undefined) {
        const id = `indicator--${randomUUID()}`;
        const dateAdded = add(indicatorVersion(id, now, now, content));
        indicators.set(key, { id, created: now, version: wave.atMillis * 1000, dateAdded });
        state.indicatorKeys.push({ provider: wave.provider, kind: dedup.kind, value: dedup.value, id });
        written.push(id);
        totals.created++;
      } else {
        const modified = nextModified(wave.atMillis, previous.version);
        const dateAdded = add(indicatorVersion(previous.id, previous.created, modified, content));
        state.demoted.push(previous.dateAdded);
        indicators.set(key, { ...previous, version: parseMicros(modified) as number, dateAdded });
        written.push(previous.id);
        totals.updated++;
      }
    }
    if (campaign !== undefined) {
      for (const source of written) {
        const link = { source, type: 'indicates', target: campaign };
        const found = hubObject(HUB_KEYS.relationship(source, 'indicates', campaign), 'relationship');
        if (found.made) add(relationshipObject(found.id, link, creator, now, marking));
      }
    }
    if (state.rows.length >= BATCH_ROWS) await flush(db, wave.collection, state, withXact);
    if (items - reported >= 200_000) {
      reported = items;
      progress(`    ${items.toLocaleString('en-US')} indicators written, ${Math.round(items / ((performance.now() - started) / 1000)).toLocaleString('en-US')}/s`);
    }
  }
  for (const [collection, state] of states) await flush(db, collection, state, withXact);
  return { waves: dataset.waves.length, items, ...totals, seconds: (performance.now() - started) / 1000 };
}
