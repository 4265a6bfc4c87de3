import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { Field, FilterBar, SelectField, TextField } from '../../components/filter-bar';
import { HubErrorLine, useHubErrorText } from '../../components/hub-error';
import type { Translate } from '../../i18n';
import { GroupGraph } from './group-graph';
import { layoutGroup, layoutStar } from './layout';
import { trustMapMessages } from './messages';
import { TLP_LEVELS, type CollectionJson, type RecipientsPreviewJson, type TrustGroupJson } from './types';

export interface RecipientsPreviewProps {
  readonly t: Translate;
  /** Collections the previewer could publish into (all for an operator). */
  readonly collections: readonly CollectionJson[];
  /** Providers to choose from; one means it is fixed (the previewer's own organization). */
  readonly providers: readonly string[];
  /** The trust groups (operators): a preview is drawn on the shape of the collection's group. */
  readonly groups: readonly TrustGroupJson[];
  readonly names: ReadonlyMap<string, string>;
}

const collectionLabel = (c: CollectionJson) => (c.alias ? `${c.title} (${c.alias})` : c.title);

/**
 * "Who would receive this": GET /admin/api/collections/{id}/recipients, drawn. The form is a real
 * form (labels, a submit button); the answer is announced, drawn with recipients highlighted and
 * their rule written, and listed in a table.
 */
export function RecipientsPreview({ t, collections, providers, groups, names }: RecipientsPreviewProps) {
  const announce = useAnnounce();
  const [provider, setProvider] = useState(providers[0] ?? '');
  const [collectionId, setCollectionId] = useState(collections[0]?.id ?? '');
  const [marking, setMarking] = useState(collections[0]?.default_marking ?? 'amber');
  const [named, setNamed] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<RecipientsPreviewJson | undefined>();
  const [refusal, setRefusal] = useState<{ readonly text: string; readonly cause: unknown } | undefined>();
  const withHeading = useHubErrorText();

  const submit = async () => {
    setBusy(true);
    setRefusal(undefined);
    try {
      const query = new URLSearchParams({ provider, marking });
      if (marking === 'red') query.set('recipients', named);
      const result = await api<RecipientsPreviewJson>('GET', `/admin/api/collections/${encodeURIComponent(collectionId)}/recipients?${query.toString()}`);
      setAnswer(result);
      const collection = collections.find((c) => c.id === result.collection);
      announce(t('preview.result', { count: result.recipients.length, marking: result.marking.toUpperCase(), provider: result.provider, collection: collection ? collectionLabel(collection) : result.collection }));
    } catch (e) {
      setAnswer(undefined);
      const problems = e instanceof ApiError && e.details.problems ? e.details.problems.map((p) => `${p.path}: ${p.message}`).join('; ') : undefined;
      const text = problems ?? (e instanceof Error ? e.message : String(e));
      setRefusal({ text, cause: e });
      announce(withHeading(e, text), 'error');
    } finally {
      setBusy(false);
    }
  };

  const collection = collections.find((c) => c.id === answer?.collection);
  const group = groups.find((g) => g.id === collection?.owner?.trust_group);
  const rules = new Map((answer?.recipients ?? []).map((r) => [r.organization, r.rule] as const));
  const others = (answer?.recipients ?? []).map((r) => r.organization).filter((o) => o !== answer?.provider);
  const layout = answer && (group && group.members.includes(answer.provider) ? layoutGroup(group) : layoutStar(answer.provider, others));

  return (
    <section aria-labelledby="preview-heading" class="preview">
      <h2 id="preview-heading">{t('preview.heading')}</h2>
      <p>{t('preview.intro')}</p>
      <FilterBar class="preview-form" primary busy={busy || collectionId === '' || provider === ''} submitLabel={busy ? t('preview.busy') : t('preview.submit')} onSubmit={() => void submit()}>
        {providers.length > 1 ? (
          <SelectField id="preview-provider" label={t('preview.provider')} value={provider} choices={providers.map((id) => ({ value: id, label: names.get(id) ? `${id} – ${names.get(id)}` : id }))} onChange={setProvider} />
        ) : (
          <Field id="preview-provider" label={t('preview.provider')}><input id="preview-provider" value={provider} readOnly /></Field>
        )}
        <SelectField id="preview-collection" label={t('preview.collection')} value={collectionId} choices={collections.map((c) => ({ value: c.id, label: collectionLabel(c) }))} onChange={(value) => {
          setCollectionId(value);
          const chosen = collections.find((c) => c.id === value);
          if (chosen) setMarking(chosen.default_marking);
        }} />
        <SelectField id="preview-marking" label={t('preview.marking')} value={marking} choices={TLP_LEVELS.map((level) => ({ value: level, label: `TLP:${level.toUpperCase()}` }))} onChange={setMarking} />
        {marking === 'red' && <TextField id="preview-named" label={t('preview.recipients')} value={named} onInput={setNamed} placeholder="acme-hq, globex-hq" />}
      </FilterBar>
      {refusal !== undefined && <HubErrorLine error={refusal.cause}>{refusal.text}</HubErrorLine>}
      {answer && layout && (
        <div class="preview-result">
          <h3>{t('preview.resultHeading', { marking: answer.marking.toUpperCase(), provider: answer.provider, collection: collection ? collectionLabel(collection) : answer.collection })}</h3>
          <GroupGraph
            layout={layout}
            names={names}
            label={t('preview.graphLabel', { list: answer.recipients.map((r) => `${r.organization}: ${t(`rule.${r.rule}`)}`).join('; ') })}
            highlight={{ provider: answer.provider, rules, ruleLabel: (rule) => (trustMapMessages.en[`short.${rule}`] !== undefined ? t(`short.${rule}`) : t(`rule.${rule}`)) }}
            passDownLabel={t('passDown')}
            noPassDownLabel={t('noPassDown')}
          />
          <DataTable class="recipients-table" caption={t('preview.caption')} columns={[t('preview.recipient'), t('preview.rule')]}>
            {answer.recipients.map((r) => (
              <tr key={r.organization} data-org={r.organization}>
                <th scope="row">{names.get(r.organization) ? `${names.get(r.organization)} (${r.organization})` : r.organization}</th>
                <td>{t(`rule.${r.rule}`)}</td>
              </tr>
            ))}
            {(group?.members ?? []).filter((m) => !rules.has(m)).map((m) => (
              <tr key={m} class="not-recipient" data-org={m}>
                <th scope="row">{names.get(m) ? `${names.get(m)} (${m})` : m}</th>
                <td>{t('preview.notRecipient')}</td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
