/**
 * The TAXII 2.1 path table (TAXII 2.1 §3.1): the one place TAXII route strings are written. Every
 * path ends in '/' and the TAXII router is strict, so a request without the trailing slash is a 404
 * (never a redirect). Later endpoints (objects, manifest, versions, status) are added here.
 */

export interface Taxii21Path {
  /** The express route pattern. */
  readonly pattern: string;
  /** Methods the endpoint defines; other methods get 405 with Allow. */
  readonly methods: readonly string[];
  /** Spec section, for readers. */
  readonly section: string;
}

export const TAXII21_PATHS = {
  discovery: { pattern: '/taxii2/', methods: ['GET'], section: '§4.1 Server Discovery' },
  apiRoot: { pattern: '/:apiRoot/', methods: ['GET'], section: '§4.2 Get API Root Information' },
  collections: { pattern: '/:apiRoot/collections/', methods: ['GET'], section: '§5.1 Get Collections' },
  /** `:collection` is the collection's id or its alias. */
  collection: { pattern: '/:apiRoot/collections/:collection/', methods: ['GET'], section: '§5.2 Get a Collection' },
  /** GET (§5.4 Get Objects) and POST (§5.5 Add Objects). */
  objects: { pattern: '/:apiRoot/collections/:collection/objects/', methods: ['GET', 'POST'], section: '§5.4 Get Objects, §5.5 Add Objects' },
  /** `:object` is a STIX id. GET (§5.6 Get an Object) and DELETE (§5.7 Delete an Object). */
  object: { pattern: '/:apiRoot/collections/:collection/objects/:object/', methods: ['GET', 'DELETE'], section: '§5.6 Get an Object, §5.7 Delete an Object' },
  versions: { pattern: '/:apiRoot/collections/:collection/objects/:object/versions/', methods: ['GET'], section: '§5.8 Get Object Versions' },
  manifest: { pattern: '/:apiRoot/collections/:collection/manifest/', methods: ['GET'], section: '§5.3 Get Object Manifests' },
  /** `:status` is the status id a POST to an objects endpoint answered with. */
  status: { pattern: '/:apiRoot/status/:status/', methods: ['GET'], section: '§4.3 Get Status' },
} as const satisfies Record<string, Taxii21Path>;

export type Taxii21Endpoint = keyof typeof TAXII21_PATHS;

/** Path segments the hub itself serves, which no API root may take as its id (a domain rule). */
export { RESERVED_API_ROOT_IDS } from '../../domain/tenancy';
