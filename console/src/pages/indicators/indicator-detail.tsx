import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { HubErrorLine } from '../../components/hub-error';
import { TimeText, useFormatTime } from '../../components/time-text';
import type { Translate } from '../../i18n';
import { hrefFor } from '../../router';
import { hasRole, useSession, type Session } from '../../session';
import type { History, ListedIndicator, Report, VisibleCollection } from '../share/hub-types';
import { LifecycleDialog, type DialogAction, type LifecycleAction } from './lifecycle-dialog';

/** Which lifecycle actions the signed-in user may take on an indicator (docs/lifecycle.md, "Who"); the hub decides again. */
export function allowedActions(session: Session, indicator: Pick<History, 'state' | 'provider'>): LifecycleAction[] {
  const operator = hasRole(session, 'operator');
  const own = indicator.provider !== undefined && indicator.provider === session.organization;
  const open = indicator.state === 'active' || indicator.state === 'expired';
  return [
    ...(open && (operator || (own && hasRole(session, 'provider', 'org-admin'))) ? (['revoke', 'benign'] as const) : []),
    ...(operator || (own && hasRole(session, 'org-admin')) ? (['purge'] as const) : []),
  ];
}

/** A consumer reports false positives about indicators it may read that its own organization does not provide (docs/sightings.md). */
export function mayReportFalsePositive(session: Session, indicator: Pick<History, 'provider'>): boolean {
  return hasRole(session, 'consumer') && indicator.provider !== session.organization;
}

/**
 * Where the operator reads the indicator's audit trail: Administration with the audit trail filtered
 * by the indicator (audit-trail.tsx reads audit_entity_type and audit_entity_id from the address).
 */
export const auditTrailHref = (id: string): string => hrefFor('administration', { audit_entity_type: 'indicator', audit_entity_id: id });

export function IndicatorDetail(props: { readonly t: Translate; readonly collection: VisibleCollection; readonly listed: ListedIndicator; readonly onChanged: () => void; readonly onClose: () => void }) {
  const { t, collection, listed } = props;
  const session = useSession();
  const announce = useAnnounce();
  const [history, setHistory] = useState<History | undefined>();
  const [reports, setReports] = useState<readonly Report[] | undefined>();
  const [error, setError] = useState<{ readonly text: string; readonly cause: unknown } | undefined>();
  const [action, setAction] = useState<DialogAction | undefined>();
  const [version, setVersion] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const time = useFormatTime();
  const when = (text: string | null | undefined) => time(text, 'dateTime', t('never'));
  const name = listed.name ?? listed.id;
  const base = `/api/collections/${collection.id}/indicators/${encodeURIComponent(listed.id)}`;

  useEffect(() => {
    let live = true;
    setError(undefined);
    Promise.all([api<History>('GET', base), api<{ reports: Report[] }>('GET', `${base}/reports`)]).then(
      ([h, r]) => {
        if (!live) return;
        setHistory(h);
        setReports(r.reports);
      },
      (e: unknown) => live && setError({ text: t('failed', { message: e instanceof Error ? e.message : String(e) }), cause: e }),
    );
    return () => {
      live = false;
    };
  }, [base, version]);

  useEffect(() => heading.current?.focus(), [listed.id]);

  const run = async (chosen: DialogAction, reason: string) => {
    if (chosen === 'false-positive') {
      await api('POST', `${base}/false-positive`, { explanation: reason });
      announce(t('done.false-positive', { name }));
      setVersion((v) => v + 1);
      return;
    }
    if (chosen === 'purge') {
      const purged = await api<{ purged_versions: unknown[] }>('POST', `/api/indicators/${encodeURIComponent(listed.id)}/purge`, { reason });
      announce(t('done.purge', { name, versions: purged.purged_versions.length }));
      props.onChanged();
      props.onClose();
      return;
    }
    await api('POST', `${base}/${chosen}`, reason === '' ? {} : { reason });
    announce(t(`done.${chosen}`, { name }));
    setVersion((v) => v + 1);
    props.onChanged();
  };

  const actions: DialogAction[] = history === undefined ? [] : [...allowedActions(session, history), ...(mayReportFalsePositive(session, history) ? (['false-positive'] as const) : [])];
  const figures = history?.sightings;
  const writers = history?.versions.some((v) => v.written_by !== undefined) === true;

  return (
    <section class="indicator-detail" aria-labelledby="indicator-detail-heading">
      <h2 id="indicator-detail-heading" ref={heading} tabIndex={-1}>{t('detailHeading', { name })}</h2>
      <button type="button" onClick={props.onClose}>{t('close')}</button>
      {error !== undefined && <HubErrorLine role="alert" error={error.cause}>{error.text}</HubErrorLine>}
      {history === undefined && error === undefined && <p role="status">{t('loading')}</p>}
      {history !== undefined && (
        <>
          <dl class="facts">
            <dt>{t('id')}</dt><dd><code>{history.id}</code></dd>
            <dt>{t('state')}</dt><dd class={`state state-${history.state}`}>{t(`state.${history.state}`)}</dd>
            {history.reason !== undefined && <><dt>{t('reason')}</dt><dd>{history.reason}</dd></>}
            <dt>{t('provider')}</dt><dd>{history.provider ?? t('hidden')}</dd>
            <dt>{t('currentVersion')}</dt><dd><TimeText value={history.version} style="precise" /></dd>
          </dl>
          {hasRole(session, 'operator') && <p><a href={auditTrailHref(history.id)}>{t('auditTrail')}</a></p>}
          {figures !== undefined && <p>{t('figures', { count: figures.count, reports: figures.reports, first: when(figures.first_seen), last: when(figures.last_seen), falsePositives: figures.false_positives })}</p>}
          {actions.length > 0 && (
            <div class="actions" role="group" aria-label={t('actions')}>
              {actions.map((a) => <button type="button" key={a} class={a === 'purge' ? 'danger' : undefined} onClick={() => setAction(a)}>{t(a)}</button>)}
            </div>
          )}
          <DataTable class="indicator-versions" caption={t('versions')} columns={[t('version'), t('dateAdded'), t('state'), t('reason'), ...(writers ? [t('writtenBy')] : [])]}>
            {history.versions.map((v) => (
              <tr key={`${v.version} ${v.date_added}`}><td><TimeText value={v.version} style="precise" /></td><td><TimeText value={v.date_added} style="precise" /></td><td>{t(`state.${v.state}`)}</td><td>{v.reason ?? ''}</td>{writers && <td>{v.written_by ?? ''}</td>}</tr>
            ))}
          </DataTable>
          {history.transitions.length === 0 ? <p>{t('noTransitions')}</p> : (
            <DataTable class="indicator-transitions" caption={t('transitions')} columns={[t('at'), t('action'), t('reason'), t('actor')]}>
              {history.transitions.map((tr) => <tr key={`${tr.at} ${tr.action}`}><td><TimeText value={tr.at} style="precise" /></td><td>{tr.action}</td><td>{tr.reason ?? ''}</td><td>{tr.actor ?? ''}</td></tr>)}
            </DataTable>
          )}
          {reports !== undefined && (reports.length === 0 ? <p>{t('noReports')}</p> : (
            <DataTable class="indicator-reports" caption={t('reports')} columns={[t('reportType'), t('dateAdded'), t('organization'), t('marking'), t('reportDetail')]}>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>{t(`report.${r.type}`)}</td><td><TimeText value={r.date_added} /></td><td>{r.organization ?? t('hidden')}</td><td>TLP:{r.marking.toUpperCase()}</td>
                  <td>{r.type === 'sighting' ? t('seenCount', { count: r.count ?? 1, first: when(r.first_seen), last: when(r.last_seen) }) : r.explanation ?? ''}</td>
                </tr>
              ))}
            </DataTable>
          ))}
        </>
      )}
      {action !== undefined && (
        <LifecycleDialog t={t} action={action} name={name} id={listed.id} collection={collection.title} onConfirm={(reason) => run(action, reason)} onClose={() => setAction(undefined)} />
      )}
    </section>
  );
}
