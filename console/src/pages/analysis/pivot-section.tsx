import { useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { FilterBar, SelectField, TextField } from '../../components/filter-bar';
import { HubErrorLine, useHubErrorText } from '../../components/hub-error';
import type { Translate } from '../../i18n';
import { useT } from '../../i18n';
import { INDICATOR_KINDS } from '../share/hub-types';
import { shareMessages } from '../share/messages';
import { indicatorsMessages } from '../indicators/messages';
import { PivotGraphSvg } from './pivot-graph';
import { nodeLabel, type PivotGraph, type PivotNode } from './types';

/**
 * Pivot from a value (GET /api/pivot): a value, an optional kind and a depth of 1 to 3; the answer
 * drawn as rings around the value, with the same nodes and edges in two tables.
 */
const STIX_ID = /^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function PivotSection({ t }: { readonly t: Translate }) {
  const kinds = useT(shareMessages);
  const states = useT(indicatorsMessages);
  const announce = useAnnounce();
  const [value, setValue] = useState('');
  const [kind, setKind] = useState('');
  const [depth, setDepth] = useState('1');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const withHeading = useHubErrorText();
  const [answer, setAnswer] = useState<{ readonly value: string; readonly graph: PivotGraph } | undefined>();

  const submit = async () => {
    const asked = value.trim();
    if (asked === '') {
      setError(t('valueMissing'));
      setFailure(undefined);
      announce(t('valueMissing'), 'error');
      return;
    }
    setBusy(true);
    setError('');
    setFailure(undefined);
    try {
      // A STIX id (indicator--…, campaign--…) starts from that object; anything else is a value.
      const q = STIX_ID.test(asked) ? new URLSearchParams({ object: asked, depth }) : new URLSearchParams({ value: asked, depth });
      if (kind !== '' && !STIX_ID.test(asked)) q.set('kind', kind);
      const graph = await api<PivotGraph>('GET', `/api/pivot?${q.toString()}`);
      setAnswer({ value: asked, graph });
      const summary = t('pivotSummary', { nodes: graph.nodes.length, edges: graph.edges.length });
      announce(graph.truncated ? `${summary} ${t('truncated', { hop: graph.truncated_at_hop ?? '' })}` : summary);
    } catch (e) {
      const message = t('failed', { message: e instanceof Error ? e.message : String(e) });
      setAnswer(undefined);
      setError(message);
      setFailure(e);
      announce(withHeading(e, message), 'error');
    } finally {
      setBusy(false);
    }
  };

  const graph = answer?.graph;
  const byRef = new Map((graph?.nodes ?? []).map((n) => [n.ref, n] as const));
  const collectionName = (id: string | undefined) => {
    const c = graph?.collections.find((x) => x.id === id);
    return c === undefined ? (id ?? '') : (c.alias ?? c.title);
  };
  const found = (graph?.nodes ?? []).filter((n) => n.type !== 'value');
  const describe = (n: PivotNode | undefined) => (n === undefined ? '' : n.kind !== undefined ? `${kinds(`kind.${n.kind}`)} ${nodeLabel(n)}` : nodeLabel(n));
  /** An edge's end: the node's words with where it is (collection, provider), since one value may be in several places. */
  const end = (n: PivotNode | undefined) => {
    const where = [n?.collection !== undefined ? collectionName(n.collection) : undefined, n?.provider].filter((x) => x !== undefined);
    return where.length > 0 ? `${describe(n)} (${where.join(', ')})` : describe(n);
  };

  return (
    <section class="analysis-section" aria-labelledby="pivot-heading">
      <h2 id="pivot-heading">{t('pivotHeading')}</h2>
      <p class="help">{t('pivotHelp')}</p>
      <FilterBar class="pivot-form" noValidate busy={busy} submitLabel={busy ? t('pivoting') : t('pivot')} onSubmit={() => void submit()}>
        <TextField id="pivot-value" label={t('value')} value={value} invalid={error === t('valueMissing')} describedBy="pivot-value-help pivot-error" onInput={setValue} />
        <SelectField id="pivot-kind" label={t('kind')} value={kind} any={t('anyKind')} choices={INDICATOR_KINDS.map((k) => ({ value: k, label: kinds(`kind.${k}`) }))} onChange={setKind} />
        <SelectField id="pivot-depth" label={t('depth')} value={depth} choices={['1', '2', '3'].map((d) => ({ value: d, label: d }))} onChange={setDepth} />
      </FilterBar>
      <p id="pivot-value-help" class="help">{t('valueHelp')}</p>
      <HubErrorLine id="pivot-error" error={error === '' ? undefined : failure}>{error}</HubErrorLine>

      {graph !== undefined && answer !== undefined && (
        <div class="pivot-result">
          <p id="pivot-summary">{t('pivotSummary', { nodes: graph.nodes.length, edges: graph.edges.length })}</p>
          {graph.truncated && <p class="truncated">{t('truncated', { hop: graph.truncated_at_hop ?? '' })}</p>}
          {found.length === 0 ? (
            <p>{t('nothingFound')}</p>
          ) : (
            <>
              <div class="graph-scroll">
                <PivotGraphSvg t={t} place={(n) => [n.collection !== undefined ? collectionName(n.collection) : undefined, n.provider].filter((x) => x !== undefined).join(' · ')} nodes={graph.nodes} edges={graph.edges} label={t('graphLabel', { value: answer.value, nodes: graph.nodes.length, edges: graph.edges.length })} />
              </div>
              <div class="table-scroll pivot-tables">
                <DataTable
                  class="pivot-nodes"
                  scroll={false}
                  caption={t('nodesCaption')}
                  columns={[t('nodeValue'), t('type'), t('hop'), t('collection'), t('tlp'), t('state'), t('provider'), t('sightings')]}
                >
                  {graph.nodes.map((n) => (
                    <tr key={n.ref} data-ref={n.ref}>
                      <th scope="row">{describe(n)}</th>
                      <td>{t(`type.${n.type}`)}</td>
                      <td>{n.hop}</td>
                      <td>{n.collection !== undefined ? collectionName(n.collection) : ''}</td>
                      <td>{n.tlp !== undefined ? `TLP:${n.tlp.toUpperCase()}` : ''}</td>
                      <td>{n.state !== undefined ? states(`state.${n.state}`) : ''}</td>
                      <td>{n.type === 'value' ? '' : (n.provider ?? t('hidden'))}</td>
                      <td>{n.sightings?.count ?? ''}</td>
                    </tr>
                  ))}
                </DataTable>
                <DataTable class="pivot-edges" scroll={false} caption={t('edgesCaption')} columns={[t('from'), t('reason'), t('to'), t('via')]}>
                  {graph.edges.map((e, i) => (
                    <tr key={`${e.from}-${e.to}-${i}`}>
                      <td>{end(byRef.get(e.from))}</td>
                      <td>{t(`reason.${e.reason}`)}</td>
                      <td>{end(byRef.get(e.to))}</td>
                      <td>{e.via}</td>
                    </tr>
                  ))}
                </DataTable>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
