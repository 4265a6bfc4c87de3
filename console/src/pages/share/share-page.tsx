import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, type FieldProblem } from '../../api';
import { useAnnounce } from '../../announce';
import { Field, SelectField, TextField } from '../../components/filter-bar';
import { HubErrorHeading, HubErrorLine, useHubErrorText } from '../../components/hub-error';
import { isTime, TimeText } from '../../components/time-text';
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

type Check = { readonly state: 'idle' | 'checking' } | { readonly state: 'done'; readonly answer: CheckAnswer } | { readonly state: 'refused'; readonly message: string; readonly problems: readonly FieldProblem[]; readonly failure: unknown };

export function SharePage() {
  const t = useT(shareMessages);
  const announce = useAnnounce();
  const { collections, error: collectionsError, failure: collectionsFailure } = useCollections();
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
  const [result, setResult] = useState<{ answer?: SubmitAnswer; lines?: readonly Line[]; error?: string; problems?: readonly FieldProblem[]; failure?: unknown } | undefined>();
  const [busy, setBusy] = useState(false);
  const [summary, setSummary] = useState('');
  const sequence = useRef(0);
  const withHeading = useHubErrorText();

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
          setCheck({ state: 'refused', message, problems: e instanceof ApiError ? (e.details.problems ?? []) : [], failure: e });
          setSummary('');
          announce(withHeading(e, t('checkFailed', { message })), 'error');
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
      setResult({ error: t('shareFailed', { message }), problems: e instanceof ApiError ? e.details.problems : undefined, failure: e });
      announce(withHeading(e, t('shareFailed', { message })), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (collectionsError !== undefined) return <HubErrorLine role="alert" error={collectionsFailure}>{collectionsError}</HubErrorLine>;
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
        <SelectField id="share-collection" label={t('collection')} value={collection} choices={writable.map((c) => ({ value: c.id, label: collectionLabel(c) }))} onChange={setCollection} />
        <SelectField id="share-kind" label={t('kind')} value={kind} choices={[{ value: 'detect', label: t('kind.detect') }, ...INDICATOR_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]} onChange={(value) => setKind(value as IndicatorKind | 'detect')} />
        {kind === 'file-hash' && (
          <SelectField id="share-algorithm" label={t('algorithm')} value={algorithm} choices={[{ value: 'detect', label: t('algorithm.detect') }, ...HASH_ALGORITHMS.map((a) => ({ value: a, label: a }))]} onChange={setAlgorithm} />
        )}
        <Field id="share-values" label={t('values')} class="wide">
          <textarea id="share-values" rows={8} value={values} aria-describedby="share-values-help share-check-summary" onInput={(e) => setValues(e.currentTarget.value)} spellcheck={false} />
          <p id="share-values-help" class="help">{t('valuesHelp')}</p>
        </Field>
        <SelectField id="share-tlp" label={t('marking')} value={tlp} any={t('marking.default', { tlp: (chosen?.default_marking ?? 'amber').toUpperCase() })} choices={TLP_LEVELS.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }))} onChange={(value) => setTlp(value as Tlp | '')} />
        {tlp === 'red' && <TextField id="share-recipients" label={t('recipients')} value={recipients} onInput={setRecipients} />}
        <TextField id="share-valid-from" label={t('validFrom')} value={validFrom} describedBy="share-valid-from-reading share-time-help" onInput={setValidFrom}>
          <TimeReading id="share-valid-from-reading" label={t('timeReading')} value={validFrom} />
        </TextField>
        <TextField id="share-valid-until" label={t('validUntil')} value={validUntil} describedBy="share-valid-until-reading share-time-help" onInput={setValidUntil}>
          <TimeReading id="share-valid-until-reading" label={t('timeReading')} value={validUntil} />
          <p id="share-time-help" class="help">{t('timeHelp')}</p>
        </TextField>
        <TextField id="share-campaign" label={t('campaign')} value={campaign} onInput={setCampaign} />
        <Field id="share-description" label={t('description')} class="wide">
          <textarea id="share-description" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </Field>
        <div class="field wide">
          <button type="submit" disabled={busy}>{busy ? t('sharing') : t('share')}</button>
        </div>
      </form>

      <section aria-labelledby="share-check-heading">
        <h2 id="share-check-heading">{t('checkHeading')}</h2>
        {/* Only the outcome is live: "checking" at every pause in typing would be read out each time. */}
        <p id="share-check-summary" aria-live="polite">{summary}</p>
        {check.state === 'checking' && <p class="help">{t('checking')}</p>}
        {check.state === 'refused' && <Problems failure={check.failure} intro={check.problems.length > 0 ? t('documentProblems') : t('checkFailed', { message: check.message })} problems={check.problems} />}
        {lines.length > 0 && <LineCheckTable t={t} caption={t('checkHeading')} lines={lines} verdicts={checkVerdicts} />}
      </section>

      {result !== undefined && (
        <section aria-labelledby="share-result-heading" class="share-result">
          <h2 id="share-result-heading">{t('resultHeading')}</h2>
          {result.answer !== undefined && <p role="status" id="share-result-summary">{t('resultSummary', { ...result.answer.summary })}</p>}
          {result.error !== undefined && <Problems failure={result.failure} intro={result.error} problems={result.problems ?? []} />}
          {result.answer !== undefined && <LineCheckTable t={t} caption={t('resultHeading')} lines={result.lines ?? []} verdicts={resultVerdicts} />}
        </section>
      )}

      <BulkUpload t={t} collection={chosen} onLines={(text) => setValues(text)} />
    </div>
  );
}

/** What a typed time is in the reader's language and time zone (nothing while it is no time yet). */
function TimeReading({ id, label, value }: { readonly id: string; readonly label: string; readonly value: string }) {
  return <p id={id} class="help">{isTime(value) && <>{label} <TimeText value={value.trim()} style="precise" /></>}</p>;
}

/** The hub's refusal of a whole document: the heading for it (Japanese UI), the page's words, then each problem in the hub's words. */
function Problems({ intro, problems, failure }: { readonly intro: string; readonly problems: readonly FieldProblem[]; readonly failure: unknown }) {
  return (
    <div class="error">
      <HubErrorHeading error={failure} />
      <p>{intro}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p) => <li key={`${p.path}:${p.message}`}><code>{p.path}</code>: {p.message}</li>)}
        </ul>
      )}
    </div>
  );
}
