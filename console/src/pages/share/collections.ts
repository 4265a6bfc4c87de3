import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import type { VisibleCollection } from './hub-types';

/**
 * The collections the signed-in user may see (GET /api/collections), or the error that stopped the
 * list (`error` its words, `failure` what was thrown: HubErrorLine heads it in the Japanese UI).
 */
export function useCollections(): { readonly collections?: readonly VisibleCollection[]; readonly error?: string; readonly failure?: unknown } {
  const [state, setState] = useState<{ collections?: readonly VisibleCollection[]; error?: string; failure?: unknown }>({});
  useEffect(() => {
    api<{ collections: VisibleCollection[] }>('GET', '/api/collections').then(
      (answer) => setState({ collections: answer.collections }),
      (e: unknown) => setState({ error: e instanceof ApiError ? e.message : String(e), failure: e }),
    );
  }, []);
  return state;
}

export const collectionLabel = (c: VisibleCollection): string => (c.alias !== undefined ? `${c.title} (${c.alias})` : c.title);
