import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type FieldProblem } from '../../api';
import { useAnnounce } from '../../announce';
import { useT } from '../../i18n';
import { BulkUpload } from './bulk-upload';
import { collectionLabel, useCollections } from './collections';
import { HASH_ALGORITHMS, INDICATOR_KINDS, TLP_LEVELS, type CheckAnswer, type IndicatorKind, type SubmitAnswer, type Tlp } from './hub-types';
import { LineCheckTable, problemsText, verdictsOfCheck, warningsText, type LineVerdict } from './line-check-table';
import { shareMessages } from './messages';
import './pages.css';
import { linesToItems, type Line } from './submission-lines';

/**
 * Share: the unified submission (POST /api/submissions) as a form. Every change is checked by the
 * hub (POST /api/submissions/check, nothing stored) a moment after typing stops, and each line shows
 * the hub's own verdict; the summary of the check is read out politely.
 */

const CHECK_DELAY_MS = 400;
const nowText = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

type Check = { readonly state: 'idle' | 'checking' } | { readonly state: 'done'; readonly answer: CheckAnswer } | { readonly state: 'refused'; readonly message: string; readonly problems: readonly FieldProblem[] };

export function SharePage() {
  const t = useT(shareMessages);
  const announce = useAnnounce();
  const { collections, error: collectionsError } = useCollections();
  const writable = useMemo(() => (collections ?? []).filter((c) => c.can_write), [collections]);
  const [collection, setCollection] = useState('');
  const [kind, setKind] = useState<IndicatorKind | 'detect'>('detect');
  const [algorithm, setAlgorithm] = useState('detect');
  const [values, setValues] = useState('');
  const [tlp, setTlp] = useState<Tlp | ''>('');
  const [recipients, setRecipients] = useState('');
  const [validFrom, setValidFrom] = useState(nowText);
  const [validUntil, setValidUntil] = useState('');
  const [campaign, setCampaign] = useState('');
  const [description, setDescription] = useState('');
  const [check, setCheck] = useState<Check>({ state: 'idle' });
  const [result, setResult] = useState<{ answer?: SubmitAnswer; lines?: readonly Line[]; error?: string; problems?: readonly FieldProblem[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState('');
  const sequence = useRef(0);

  useEffect(() => {
    if (collection === '' && writable[0] !== undefined) setCollection(writable[0].id);
  }, [writable, collection]);

  const chosen = writable.find((c) => c.id === collection);
  const { lines, items } = useMemo(() => linesToItems(values, kind, algorithm), [values, kind, algorithm]);
  const document = useMemo(
    () => ({
      collection,
      valid_from: validFrom.trim(),
      ...(validUntil.trim() !== '' ? { valid_until: validUntil.trim() } : {}),
      ...(tlp !== '' ? { marking: { tlp, ...(tlp === 'red' ? { recipients: recipients.split(',').map((r) => r.trim()).filter((r) => r !== '') } : {}) } } : {}),
      ...(campaign.trim() !== '' ? { campaign: campaign.trim() } : {}),
      ...(description.trim() !== '' ? { description: description.trim() } : {}),
      indicators: items,
    }),
    [collection, validFrom, validUntil, tlp, recipients, campaign, description, items],
  );

  // The live check: the latest document only, a moment after the last change.
  useEffect(() => {
    const mine = ++sequence.current;
    if (collection === '' || items.length === 0) {
      setCheck({ state: 'idle' });
      setSummary('');
      return;
    }
    setCheck({ state: 'checking' });
    const timer = setTimeout(() => {
      api<CheckAnswer>('POST', '/api/submissions/check', document).then(
        (answer) => {
          if (mine !== sequence.current) return;
          // Read out by the summary's own live region, beside the values box (aria-describedby).
          setCheck({ state: 'done', answer });
          setSummary(t('checkSummary', { accepted: answer.summary.accepted, rejected: answer.summary.rejected + lines.filter((l) => l.item === undefined).length }));
        },
        (e: unknown) => {
          if (mine !== sequence.current) return;
          const message = e instanceof Error ? e.message : String(e);
          setCheck({ state: 'refused', message, problems: e instanceof ApiError ? (e.details.problems ?? []) : [] });
          setSummary('');
          announce(t('checkFailed', { message }), 'error');
        },
      );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [document]);

  const share = async (event: Event) => {
    event.preventDefault();
    if (items.length === 0) {
      setResult({ error: t('nothingToShare') });
      announce(t('nothingToShare'), 'error');
      return;
    }
    setBusy(true);
    try {
      const answer = await api<SubmitAnswer>('POST', '/api/submissions', document);
      setResult({ answer, lines });
      announce(t('resultSummary', { ...answer.summary }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      setResult({ error: t('shareFailed', { message }), problems: e instanceof ApiError ? e.details.problems : undefined });
      announce(t('shareFailed', { message }), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (collectionsError !== undefined) return <p class="error" role="alert">{collectionsError}</p>;
  if (collections === undefined) return <p role="status">{t('loadingCollections')}</p>;
  if (writable.length === 0) return <p class="notice">{t('noWritable')}</p>;

  const checkVerdicts = check.state === 'done' ? verdictsOfCheck(t, lines, items, check.answer) : verdictsOfCheck(t, lines, items, undefined);
  const resultVerdicts = new Map<number, LineVerdict[]>();
  for (const line of result?.lines ?? []) {
    const outcome = line.item === undefined ? undefined : result?.answer?.indicators.find((i) => i.index === line.item);
    if (outcome === undefined) continue;
    resultVerdicts.set(line.number, outcome.outcome === 'rejected'
      ? problemsText(outcome.problems).map((message) => ({ ok: false, text: t('rejected', { message }) }))
      : [{ ok: true, text: `${t(`outcome.${outcome.outcome}`)}${outcome.id !== undefined ? ` (${outcome.id})` : ''}` }, ...warningsText(t, outcome.warnings)]);
  }

  return (
    <div class="share-page">
      <p>{t('intro')}</p>
      <form class="share-form" onSubmit={(e) => void share(e)} noValidate>
        <div class="field">
          <label for="share-collection">{t('collection')}</label>
          <select id="share-collection" value={collection} onChange={(e) => setCollection(e.currentTarget.value)}>
            {writable.map((c) => <option key={c.id} value={c.id}>{collectionLabel(c)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="share-kind">{t('kind')}</label>
          <select id="share-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as IndicatorKind | 'detect')}>
            <option value="detect">{t('kind.detect')}</option>
            {INDICATOR_KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
          </select>
        </div>
        {kind === 'file-hash' && (
          <div class="field">
            <label for="share-algorithm">{t('algorithm')}</label>
            <select id="share-algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.currentTarget.value)}>
              <option value="detect">{t('algorithm.detect')}</option>
              {HASH_ALGORITHMS.map((a) => <option key={a} value={a}>{a}</option>)}
            </select>
          </div>
        )}
        <div class="field wide">
          <label for="share-values">{t('values')}</label>
          <textarea id="share-values" rows={8} value={values} aria-describedby="share-values-help share-check-summary" onInput={(e) => setValues(e.currentTarget.value)} spellcheck={false} />
          <p id="share-values-help" class="help">{t('valuesHelp')}</p>
        </div>
        <div class="field">
          <label for="share-tlp">{t('marking')}</label>
          <select id="share-tlp" value={tlp} onChange={(e) => setTlp(e.currentTarget.value as Tlp | '')}>
            <option value="">{t('marking.default', { tlp: (chosen?.default_marking ?? 'amber').toUpperCase() })}</option>
            {TLP_LEVELS.map((l) => <option key={l} value={l}>TLP:{l.toUpperCase()}</option>)}
          </select>
        </div>
        {tlp === 'red' && (
          <div class="field">
            <label for="share-recipients">{t('recipients')}</label>
            <input id="share-recipients" value={recipients} onInput={(e) => setRecipients(e.currentTarget.value)} />
          </div>
        )}
        <div class="field">
          <label for="share-valid-from">{t('validFrom')}</label>
          <input id="share-valid-from" value={validFrom} aria-describedby="share-time-help" onInput={(e) => setValidFrom(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="share-valid-until">{t('validUntil')}</label>
          <input id="share-valid-until" value={validUntil} aria-describedby="share-time-help" onInput={(e) => setValidUntil(e.currentTarget.value)} />
          <p id="share-time-help" class="help">{t('timeHelp')}</p>
        </div>
        <div class="field">
          <label for="share-campaign">{t('campaign')}</label>
          <input id="share-campaign" value={campaign} onInput={(e) => setCampaign(e.currentTarget.value)} />
        </div>
        <div class="field wide">
          <label for="share-description">{t('description')}</label>
          <textarea id="share-description" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </div>
        <div class="field wide">
          <button type="submit" disabled={busy}>{busy ? t('sharing') : t('share')}</button>
        </div>
      </form>

      <section aria-labelledby="share-check-heading">
        <h2 id="share-check-heading">{t('checkHeading')}</h2>
        {/* Only the outcome is live: "checking" at every pause in typing would be read out each time. */}
        <p id="share-check-summary" aria-live="polite">{summary}</p>
        {check.state === 'checking' && <p class="help">{t('checking')}</p>}
        {check.state === 'refused' && <Problems intro={check.problems.length > 0 ? t('documentProblems') : t('checkFailed', { message: check.message })} problems={check.problems} />}
        {lines.length > 0 && <LineCheckTable t={t} caption={t('checkHeading')} lines={lines} verdicts={checkVerdicts} />}
      </section>

      {result !== undefined && (
        <section aria-labelledby="share-result-heading" class="share-result">
          <h2 id="share-result-heading">{t('resultHeading')}</h2>
          {result.answer !== undefined && <p role="status" id="share-result-summary">{t('resultSummary', { ...result.answer.summary })}</p>}
          {result.error !== undefined && <Problems intro={result.error} problems={result.problems ?? []} />}
          {result.answer !== undefined && <LineCheckTable t={t} caption={t('resultHeading')} lines={result.lines ?? []} verdicts={resultVerdicts} />}
        </section>
      )}

      <BulkUpload t={t} collection={chosen} onLines={(text) => setValues(text)} />
    </div>
  );
}

function Problems({ intro, problems }: { readonly intro: string; readonly problems: readonly FieldProblem[] }) {
  return (
    <div class="error">
      <p>{intro}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => <li key={`${p.path}:${p.message}`}><code>{p.path}</code>: {p.message}</li>)}
        </ul>
      )}
    </div>
  );
}
