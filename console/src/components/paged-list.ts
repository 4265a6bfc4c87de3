import { useEffect, useState } from 'preact/hooks';
import { useAnnounce } from '../announce';
import { useHubErrorText } from './hub-error';

/** One page of a list as the hub answers it: its rows, and the cursor of the next page when more follow. */
export interface Page<Row, Cursor> {
  readonly rows: readonly Row[];
  readonly next?: Cursor;
}

export interface PagedList<Row, Cursor> {
  /** undefined while the first page loads (or failed before any row came). */
  readonly rows: readonly Row[] | undefined;
  /** The cursor of the next page, undefined when none follows. */
  readonly next: Cursor | undefined;
  /** The last failure, as `failed` worded it; '' when the last load went well. */
  readonly error: string;
  /** What was thrown for that failure (the hub's ApiError): give it to ListStatus for its heading. */
  readonly failure: unknown;
  /** Reads the next page and appends it (announced like the first). */
  readonly more: () => void;
}

/**
 * A list read page by page from the hub: loads the first page whenever `deps` change (and `enabled`
 * holds), appends the next page on `more()`, and announces each result (`summary(count, more)`) or
 * failure (`failed(message)`, also kept in `error`; in the Japanese UI announced under the heading
 * for the hub's refusal, see hub-error.tsx) in the shell's live regions. `quiet()` is asked
 * before a first page loads: when it says true that load is not announced (a list reloaded after
 * an action whose own announcement is the news).
 */
export function usePagedList<Row, Cursor>(options: {
  readonly fetchPage: (after: Cursor | undefined) => Promise<Page<Row, Cursor>>;
  readonly deps: readonly unknown[];
  readonly enabled?: boolean;
  readonly summary: (count: number, more: boolean) => string;
  readonly failed: (message: string) => string;
  readonly quiet?: () => boolean;
}): PagedList<Row, Cursor> {
  const announce = useAnnounce();
  const [rows, setRows] = useState<readonly Row[] | undefined>();
  const [next, setNext] = useState<Cursor | undefined>();
  const [error, setError] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const withHeading = useHubErrorText();

  const load = async (after: Cursor | undefined, quiet: boolean) => {
    setError('');
    setFailure(undefined);
    try {
      const page = await options.fetchPage(after);
      const all = after === undefined ? page.rows : [...(rows ?? []), ...page.rows];
      setRows(all);
      setNext(page.next);
      if (!quiet) announce(options.summary(all.length, page.next !== undefined));
    } catch (e) {
      const message = options.failed(e instanceof Error ? e.message : String(e));
      setError(message);
      setFailure(e);
      announce(withHeading(e, message), 'error');
    }
  };

  useEffect(() => {
    if (options.enabled === false) return;
    setRows(undefined);
    void load(undefined, options.quiet?.() ?? false);
  }, options.deps);

  return { rows, next, error, failure, more: () => { if (next !== undefined) void load(next, false); } };
}
