import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * The shell's live regions: results are read out politely (role=status), errors at once
 * (role=alert). Pages call `announce(text)` or `announce(text, 'error')`.
 */
export type AnnounceKind = 'status' | 'error';
export type Announce = (text: string, kind?: AnnounceKind) => void;

export const AnnounceContext = createContext<Announce>(() => {});

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
