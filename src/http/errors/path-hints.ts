import type { Application } from 'express';

/**
 * "Did you mean …/?" for a 404: TAXII 2.1 paths end with '/', the hub's JSON APIs do not, and a
 * client that gets one of them wrong otherwise learns only that nothing is there. The hint is the
 * same path with the trailing slash added or removed, when a route of the app has that shape.
 *
 * The shapes come from the app's own router (every route, nested routers included), read once per
 * app on the first 404. Routes whose path is nothing but parameters (TAXII's `/:apiRoot/`) are left
 * out: any one-segment path would fit them, so they would turn every typo into a hint.
 */

interface Layer {
  readonly route?: { readonly path: unknown };
  readonly handle: unknown;
  readonly rawPath?: unknown;
}

const shapesByApp = new WeakMap<object, readonly RegExp[]>();

function stackOf(handle: unknown): readonly Layer[] | undefined {
  const stack = (handle as { stack?: unknown } | null)?.stack;
  return Array.isArray(stack) ? (stack as Layer[]) : undefined;
}

/** A route path of plain segments and `:params` as a regular expression; undefined for any other (or all-parameter) shape. */
function shapeOf(path: string): RegExp | undefined {
  const segments = path.split('/');
  if (!segments.some((s) => s !== '' && !s.startsWith(':'))) return undefined;
  if (segments.some((s) => !/^(?::[A-Za-z0-9_]+|[A-Za-z0-9._~-]*)$/.test(s))) return undefined;
  const source = segments.map((s) => (s.startsWith(':') ? '[^/]+' : s.replace(/[.]/g, '\\.'))).join('/');
  return new RegExp(`^${source}$`);
}

function routeShapes(app: Application): readonly RegExp[] {
  const known = shapesByApp.get(app);
  if (known) return known;
  const shapes: RegExp[] = [];
  const walk = (stack: readonly Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const shape = typeof layer.route.path === 'string' ? shapeOf(prefix + layer.route.path) : undefined;
        if (shape) shapes.push(shape);
        continue;
      }
      const nested = stackOf(layer.handle);
      if (nested && typeof layer.rawPath === 'string') walk(nested, layer.rawPath === '/' ? prefix : prefix + layer.rawPath);
    }
  };
  walk(stackOf((app as unknown as { router?: unknown }).router) ?? [], '');
  shapesByApp.set(app, shapes);
  return shapes;
}

/** The same path with its trailing slash toggled, when the app has a route of that shape; undefined otherwise. */
export function trailingSlashHint(app: Application, path: string): string | undefined {
  if (path === '/' || path === '') return undefined;
  const other = path.endsWith('/') ? path.replace(/\/+$/, '') : `${path}/`;
  if (other === '' || other === path) return undefined;
  return routeShapes(app).some((shape) => shape.test(other)) ? other : undefined;
}
