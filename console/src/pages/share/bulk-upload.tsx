import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { useAnnounce } from '../../announce';
import { HubErrorLine, useHubErrorText } from '../../components/hub-error';
import type { Translate } from '../../i18n';
import { useSession } from '../../session';
import type { SubmitAnswer, VisibleCollection } from './hub-types';

/**
 * Bulk upload of one file, the way `taxii-hub import` takes files: a unified submission goes to
 * POST /api/submissions (into the chosen collection unless it names it itself), a STIX 2.1 bundle or
 * TAXII envelope to TAXII 2.1 Add Objects in batches. Any other text fills the values box.
 */

const STIX_BATCH = 500;
const TAXII = 'application/taxii+json;version=2.1';

type Parsed = { readonly kind: 'submission'; readonly document: Record<string, unknown> } | { readonly kind: 'stix'; readonly objects: readonly unknown[] } | { readonly kind: 'text' } | { readonly kind: 'unreadable' };

function parseFile(name: string, text: string): Parsed {
  if (!/\.json$/i.test(name) && !/^\s*[{[]/.test(text)) return { kind: 'text' };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { kind: 'unreadable' };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { kind: 'unreadable' };
  const record = doc as Record<string, unknown>;
  if (Array.isArray(record.indicators)) return { kind: 'submission', document: record };
  if (Array.isArray(record.objects)) return { kind: 'stix', objects: record.objects };
  if (record.type === 'bundle') return { kind: 'stix', objects: [] };
  return { kind: 'unreadable' };
}

export function BulkUpload({ t, collection, onLines }: { readonly t: Translate; readonly collection: VisibleCollection | undefined; readonly onLines: (text: string) => void }) {
  const session = useSession();
  const announce = useAnnounce();
  const [file, setFile] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string; failure?: unknown } | undefined>();
  const withHeading = useHubErrorText();

  /** The outcome, shown and announced; a hub's refusal (`failure`) under its heading in the Japanese UI. */
  const say = (ok: boolean, text: string, failure?: unknown) => {
    setMessage({ ok, text, failure });
    announce(withHeading(failure, text), ok ? 'status' : 'error');
  };

  async function addObjects(target: VisibleCollection, objects: readonly unknown[]): Promise<{ succeeded: number; failed: number }> {
    let succeeded = 0;
    let failed = 0;
    for (let at = 0; at < objects.length; at += STIX_BATCH) {
      const response = await fetch(`/${encodeURIComponent(target.api_root)}/collections/${target.id}/objects/`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: TAXII, 'Content-Type': TAXII, 'X-CSRF-Token': session.csrf_token, 'X-Requested-With': 'taxii-hub-console' },
        body: JSON.stringify({ objects: objects.slice(at, at + STIX_BATCH) }),
      });
      const status = (await response.json().catch(() => ({}))) as { success_count?: number; failure_count?: number; title?: string; description?: string };
      if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, status.description ?? status.title ?? `HTTP ${response.status}`);
      succeeded += status.success_count ?? 0;
      failed += status.failure_count ?? 0;
    }
    return { succeeded, failed };
  }

  const upload = async (event: Event) => {
    event.preventDefault();
    if (file === undefined || collection === undefined) {
      say(false, t('noFile'));
      return;
    }
    setBusy(true);
    try {
      const text = await file.text();
      const parsed = parseFile(file.name, text);
      if (parsed.kind === 'text') {
        const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
        onLines(lines.join('\n'));
        say(true, t('linesLoaded', { count: lines.length, file: file.name }));
      } else if (parsed.kind === 'unreadable') {
        say(false, t('uploadFailed', { file: file.name, message: t('unreadable') }));
      } else if (parsed.kind === 'submission') {
        const named = parsed.document.collection;
        if (typeof named === 'string' && named !== collection.id && named !== collection.alias) {
          say(false, t('uploadFailed', { file: file.name, message: t('otherCollection', { collection: named }) }));
          return;
        }
        const answer = await api<SubmitAnswer>('POST', '/api/submissions', { ...parsed.document, collection: collection.id });
        say(true, t('uploadSummary', { file: file.name, ...answer.summary }));
      } else {
        const counts = await addObjects(collection, parsed.objects);
        say(true, t('stixSummary', { file: file.name, ...counts }));
      }
    } catch (e) {
      say(false, t('uploadFailed', { file: file.name, message: e instanceof Error ? e.message : String(e) }), e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="share-bulk-heading" class="share-bulk">
      <h2 id="share-bulk-heading">{t('bulkHeading')}</h2>
      <p id="share-bulk-intro">{t('bulkIntro')}</p>
      <form onSubmit={(e) => void upload(e)} noValidate>
        <label for="share-file">{t('file')}</label>{' '}
        <input id="share-file" type="file" accept=".json,.txt,.csv,application/json,text/plain" aria-describedby="share-bulk-intro" onChange={(e) => setFile(e.currentTarget.files?.[0])} />{' '}
        <button type="submit" disabled={busy}>{busy ? t('uploading') : t('upload')}</button>
      </form>
      {message !== undefined && (message.ok ? <p class="notice">{message.text}</p> : <HubErrorLine error={message.failure}>{message.text}</HubErrorLine>)}
    </section>
  );
}
