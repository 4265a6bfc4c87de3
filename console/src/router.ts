import { useEffect, useState } from 'preact/hooks';

/**
 * A hash router: `#/trust-map?collection=x` is the page `trust-map` with its query. Hash routes need
 * nothing from the server and keep the console's one index.html.
 */
export interface Route {
  readonly page: string;
  readonly query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const page = decodeURIComponent(q === -1 ? raw : raw.slice(0, q)).replace(/\/+$/, '');
  return { page, query: new URLSearchParams(q === -1 ? '' : raw.slice(q + 1)) };
}

export function hrefFor(page: string, query?: Readonly<Record<string, string>>): string {
  const qs = query ? new URLSearchParams(query).toString() : '';
  return `#/${page}${qs ? `?${qs}` : ''}`;
}

/** Changes the current page's query without adding a history entry per keystroke. */
export function replaceQuery(page: string, query: Readonly<Record<string, string>>): void {
  history.replaceState(null, '', hrefFor(page, query));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
