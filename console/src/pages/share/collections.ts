import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import type { VisibleCollection } from './hub-types';

/** The collections the signed-in user may see (GET /api/collections), or the error that stopped the list. */
export function useCollections(): { readonly collections?: readonly VisibleCollection[]; readonly error?: string } {
  const [state, setState] = useState<{ collections?: readonly VisibleCollection[]; error?: string }>({});
  useEffect(() => {
    api<{ collections: VisibleCollection[] }>('GET', '/api/collections').then(
      (answer) => setState({ collections: answer.collections }),
      (e: unknown) => setState({ error: e instanceof ApiError ? e.message : String(e) }),
    );
  }, []);
  return state;
}

export const collectionLabel = (c: VisibleCollection): string => (c.alias !== undefined ? `${c.title} (${c.alias})` : c.title);
