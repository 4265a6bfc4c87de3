import { useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
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
  const [answer, setAnswer] = useState<{ readonly value: string; readonly graph: PivotGraph } | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    const asked = value.trim();
    if (asked === '') {
      setError(t('valueMissing'));
      announce(t('valueMissing'), 'error');
      return;
    }
    setBusy(true);
    setError('');
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
      announce(message, 'error');
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
      <form class="pivot-form" onSubmit={(e) => void submit(e)} noValidate>
        <div class="field">
          <label for="pivot-value">{t('value')}</label>
          <input id="pivot-value" type="text" value={value} aria-invalid={error === t('valueMissing') ? true : undefined} aria-describedby="pivot-value-help pivot-error" onInput={(e) => setValue(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="pivot-kind">{t('kind')}</label>
          <select id="pivot-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            <option value="">{t('anyKind')}</option>
            {INDICATOR_KINDS.map((k) => <option key={k} value={k}>{kinds(`kind.${k}`)}</option>)}
          </select>
        </div>
        <div class="field">
          <label for="pivot-depth">{t('depth')}</label>
          <select id="pivot-depth" value={depth} onChange={(e) => setDepth(e.currentTarget.value)}>
            {['1', '2', '3'].map((d) => <option key={d} value={d}>{d}</option>)}
          </select>
        </div>
        <div class="field">
          <button type="submit" disabled={busy}>{busy ? t('pivoting') : t('pivot')}</button>
        </div>
      </form>
      <p id="pivot-value-help" class="help">{t('valueHelp')}</p>
      <p id="pivot-error" class="error">{error}</p>

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
                <table class="pivot-nodes">
                  <caption>{t('nodesCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('nodeValue')}</th>
                      <th scope="col">{t('type')}</th>
                      <th scope="col">{t('hop')}</th>
                      <th scope="col">{t('collection')}</th>
                      <th scope="col">{t('tlp')}</th>
                      <th scope="col">{t('state')}</th>
                      <th scope="col">{t('provider')}</th>
                      <th scope="col">{t('sightings')}</th>
                    </tr>
                  </thead>
                  <tbody>
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
                  </tbody>
                </table>
                <table class="pivot-edges">
                  <caption>{t('edgesCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('from')}</th>
                      <th scope="col">{t('reason')}</th>
                      <th scope="col">{t('to')}</th>
                      <th scope="col">{t('via')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {graph.edges.map((e, i) => (
                      <tr key={`${e.from}-${e.to}-${i}`}>
                        <td>{end(byRef.get(e.from))}</td>
                        <td>{t(`reason.${e.reason}`)}</td>
                        <td>{end(byRef.get(e.to))}</td>
                        <td>{e.via}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </div>
      )}
    </section>
  );
}
