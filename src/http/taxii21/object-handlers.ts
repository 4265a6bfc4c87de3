import type { Request, Response } from 'express';
import { effectiveVersion } from '../../domain/object-filters';
import { formatMicros } from '../../domain/timestamps';
import type { ObjectReadService, ReadPage } from '../../services/object-read-service';
import type { ManifestEntry, ObjectEntry } from '../../storage/object-store';
import { parseObjectQuery, rawQueryOf, type ParameterEndpoint } from './query-parameters';
import { sendTaxii, sendTaxiiJson } from './taxii-response';

/**
 * TAXII 2.1 Get Objects (§5.4), Get an Object (§5.6), Delete an Object (§5.7), Get Object Versions
 * (§5.8) and Get Object Manifests (§5.3): parse the raw query → service → serialise.
 *
 * Bodies: `more` always, `next` exactly when `more` is true, and the list (`objects` / `versions`)
 * only when it has members — TAXII forbids empty lists, so an empty result is `{"more":false}`.
 * X-TAXII-Date-Added-First/-Last carry the date_added of the first and last version in the body,
 * and are left out when it holds none (cti-taxii2#117).
 */

export const DATE_ADDED_FIRST_HEADER = 'X-TAXII-Date-Added-First';
export const DATE_ADDED_LAST_HEADER = 'X-TAXII-Date-Added-Last';

function setDateAddedHeaders(res: Response, entries: readonly ManifestEntry[]): void {
  const first = entries[0];
  const last = entries.at(-1);
  if (first === undefined || last === undefined) return;
  res.setHeader(DATE_ADDED_FIRST_HEADER, formatMicros(first.dateAdded));
  res.setHeader(DATE_ADDED_LAST_HEADER, formatMicros(last.dateAdded));
}

/** `{"more":…,"next":…,"<listName>":[…]}` with the list members already JSON text (stored objects go out as stored). */
function pageJson(page: ReadPage<unknown>, listName: string, members: readonly string[]): string {
  let json = `{"more":${page.more}`;
  if (page.next !== undefined) json += `,"next":${JSON.stringify(page.next)}`;
  if (members.length > 0) json += `,${JSON.stringify(listName)}:[${members.join(',')}]`;
  return `${json}}`;
}

/**
 * The TAXII version of a version: the object's `modified` (else `created`) exactly as the object
 * states it, so it matches the object and the status details; for an object with neither, the
 * date it was added.
 */
export function taxiiVersion(entry: ManifestEntry): string {
  return entry.stixVersion ?? formatMicros(effectiveVersion(entry.version, entry.dateAdded));
}

/** The manifest record (§5.3.1): media_type is the STIX media type of the version's spec version. */
export function manifestRecord(entry: ManifestEntry): Record<string, string> {
  return {
    id: entry.id,
    date_added: formatMicros(entry.dateAdded),
    version: taxiiVersion(entry),
    media_type: `application/stix+json;version=${entry.specVersion}`,
  };
}

export function envelopeJson(page: ReadPage<ObjectEntry>): string {
  return pageJson(page, 'objects', page.entries.map((entry) => entry.json));
}

export function manifestJson(page: ReadPage<ManifestEntry>): string {
  return pageJson(page, 'objects', page.entries.map((entry) => JSON.stringify(manifestRecord(entry))));
}

export function versionsJson(page: ReadPage<ManifestEntry>): string {
  return pageJson(page, 'versions', page.entries.map((entry) => JSON.stringify(taxiiVersion(entry))));
}

const param = (req: Request, name: string) => String(req.params[name]);
const query = (req: Request, endpoint: ParameterEndpoint) => parseObjectQuery(rawQueryOf(req.originalUrl), endpoint);

export function getObjectsHandler(service: ObjectReadService) {
  return async (req: Request, res: Response): Promise<void> => {
    const page = await service.getObjects(req.user, param(req, 'apiRoot'), param(req, 'collection'), query(req, 'objects'));
    setDateAddedHeaders(res, page.entries);
    sendTaxiiJson(res, 200, envelopeJson(page));
  };
}

export function getObjectHandler(service: ObjectReadService) {
  return async (req: Request, res: Response): Promise<void> => {
    const page = await service.getObject(req.user, param(req, 'apiRoot'), param(req, 'collection'), param(req, 'object'), query(req, 'object'));
    setDateAddedHeaders(res, page.entries);
    sendTaxiiJson(res, 200, envelopeJson(page));
  };
}

export function getVersionsHandler(service: ObjectReadService) {
  return async (req: Request, res: Response): Promise<void> => {
    const page = await service.getVersions(req.user, param(req, 'apiRoot'), param(req, 'collection'), param(req, 'object'), query(req, 'versions'));
    setDateAddedHeaders(res, page.entries);
    sendTaxiiJson(res, 200, versionsJson(page));
  };
}

export function getManifestHandler(service: ObjectReadService) {
  return async (req: Request, res: Response): Promise<void> => {
    const page = await service.getManifest(req.user, param(req, 'apiRoot'), param(req, 'collection'), query(req, 'manifest'));
    setDateAddedHeaders(res, page.entries);
    sendTaxiiJson(res, 200, manifestJson(page));
  };
}

/** §5.7: 200 with an empty body object once the selected versions are gone (cti-taxii2#108). */
export function deleteObjectHandler(service: ObjectReadService) {
  return async (req: Request, res: Response): Promise<void> => {
    await service.deleteObject(req.user, param(req, 'apiRoot'), param(req, 'collection'), param(req, 'object'), query(req, 'delete'));
    sendTaxii(res, 200, {});
  };
}
