import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { parse } from 'yaml';
import { startTestHub, type TestHub } from './http/support/test-hub';

/**
 * openapi.yaml is the published description of every HTTP route. This test lists the routes the real
 * app registers (walking express's router stack) and compares them with the document both ways.
 */

const ROOT = path.resolve(__dirname, '..');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Layer {
  readonly route?: { readonly path: unknown; readonly methods: Readonly<Record<string, boolean>> };
  readonly handle: unknown;
  readonly rawPath?: unknown;
}

function stackOf(handle: unknown): readonly Layer[] | undefined {
  const stack = (handle as { stack?: unknown } | null)?.stack;
  return Array.isArray(stack) ? (stack as Layer[]) : undefined;
}

/** `METHOD /path/{param}` for every route of the app, nested routers included. */
function appOperations(app: Express): Set<string> {
  const operations = new Set<string>();
  const walk = (stack: readonly Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') throw new Error(`route with a non-string path under ${prefix}`);
        const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all'); // `.all` routes only answer 405
        for (const method of methods) operations.add(`${method.toUpperCase()} ${toOpenApiPath(prefix + layer.route.path)}`);
        continue;
      }
      const nested = stackOf(layer.handle);
      if (!nested) continue;
      if (typeof layer.rawPath !== 'string') throw new Error(`router mounted at a non-string path under ${prefix}`);
      walk(nested, layer.rawPath === '/' ? prefix : prefix + layer.rawPath);
    }
  };
  const router = (app as unknown as { router: unknown }).router;
  walk(stackOf(router) ?? [], '');
  return operations;
}

function toOpenApiPath(expressPath: string): string {
  if (/[*?(){}]/.test(expressPath)) throw new Error(`cannot describe ${expressPath} in OpenAPI; use plain :params`);
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: Record<string, Record<string, unknown>>;
}

const doc = parse(readFileSync(path.join(ROOT, 'openapi.yaml'), 'utf8')) as OpenApiDocument;

function documentedOperations(): Set<string> {
  const operations = new Set<string>();
  for (const [route, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) operations.add(`${method.toUpperCase()} ${route}`);
  }
  return operations;
}

function collectRefs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => collectRefs(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') into.push(inner);
      else collectRefs(inner, into);
    }
  }
  return into;
}

function resolvePointer(target: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .filter((segment) => segment !== '')
    .reduce<unknown>((node, segment) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[segment.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), target);
}

describe('openapi.yaml', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  test('the route listing sees ops, TAXII and nested admin routes', () => {
    expect([...appOperations(hub.app)]).toEqual(expect.arrayContaining(['GET /healthz', 'GET /taxii2/', 'GET /{apiRoot}/', 'PATCH /admin/api/organizations/{id}']));
  });

  test('documents every route the app serves', () => {
    const documented = documentedOperations();
    const undocumented = [...appOperations(hub.app)].filter((op) => !documented.has(op));
    expect(undocumented).toEqual([]);
  });

  test('documents no route the app does not serve', () => {
    const served = appOperations(hub.app);
    const phantom = [...documentedOperations()].filter((op) => !served.has(op));
    expect(phantom).toEqual([]);
  });

  test('is OpenAPI 3.1 and every operation declares its responses', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    for (const [route, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) {
        const operation = item[method] as { responses?: Record<string, unknown> };
        expect({ operation: `${method} ${route}`, responses: Object.keys(operation.responses ?? {}).length > 0 }).toEqual({ operation: `${method} ${route}`, responses: true });
      }
    }
  });

  test('every path item holds only HTTP methods and the fields OpenAPI allows there', () => {
    const allowed = new Set([...HTTP_METHODS, '$ref', 'summary', 'description', 'servers', 'parameters']);
    const stray = Object.entries(doc.paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => !allowed.has(key) && !key.startsWith('x-'))
        .map((key) => `${route}: ${key}`),
    );
    expect(stray).toEqual([]);
  });

  test('has no key without a value (an unquoted ", text" in a flow mapping becomes one)', () => {
    const empty: string[] = [];
    const walk = (value: unknown, at: string): void => {
      if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${at}/${index}`));
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value)) {
          if (inner === null) empty.push(`${at}/${key}`);
          else walk(inner, `${at}/${key}`);
        }
      }
    };
    walk(doc, '');
    expect(empty).toEqual([]);
  });

  test('every $ref points at something that exists', () => {
    const broken = collectRefs(doc).filter((ref) => {
      const [file, pointer = ''] = ref.split('#');
      const target = file ? (JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as unknown) : doc;
      return resolvePointer(target, pointer) === undefined;
    });
    expect(broken).toEqual([]);
  });
});
