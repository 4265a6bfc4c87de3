import { useState } from 'preact/hooks';
import { api } from '../../api';
import { DataTable } from '../../components/data-table';
import { ListStatus } from '../../components/list-status';
import { TimeText } from '../../components/time-text';
import type { Translate } from '../../i18n';
import { statusOf, type Loaded } from './delivery-api';
import type { WebhookAttemptJson, WebhookJson } from './types';

/** The newest attempts shown: enough to see a pattern (every one failing since …), a page the eye takes in. */
export const ATTEMPTS_SHOWN = 20;

/**
 * A webhook's newest delivery attempts (GET /api/webhooks/{id}/attempts), behind a disclosure: read
 * when first opened, so a page of many webhooks makes no request per webhook until one is looked
 * into; read again each time it is opened. Each row: when, the outcome, the HTTP status, how long
 * the receiver took, the events it carried and the error (or the dead letter a replay delivered).
 */
export function WebhookAttempts({ t, webhook }: { readonly t: Translate; readonly webhook: WebhookJson }) {
  const [attempts, setAttempts] = useState<Loaded<WebhookAttemptJson>>();
  const onToggle = (event: Event) => {
    if (!(event.currentTarget as HTMLDetailsElement).open) return;
    setAttempts(undefined);
    api<{ attempts: WebhookAttemptJson[] }>('GET', `/api/webhooks/${encodeURIComponent(webhook.id)}/attempts?limit=${ATTEMPTS_SHOWN}`).then(
      (answer) => setAttempts({ items: answer.attempts }),
      (e: unknown) => setAttempts({ error: e instanceof Error ? e.message : String(e), failure: e }),
    );
  };
  return (
    <details class="attempts" onToggle={onToggle}>
      <summary>{t('attemptsHeading', { count: ATTEMPTS_SHOWN })}</summary>
      <ListStatus {...statusOf(attempts, (message) => t('loadFailed', { list: t('list.attempts'), message }))} empty={t('attemptsNone')} />
      {attempts !== undefined && 'items' in attempts && attempts.items.length > 0 && (
        <DataTable class="attempt-list" caption={t('attemptsCaption', { url: webhook.url })} columns={[t('col.attemptAt'), t('col.outcome'), t('col.httpStatus'), t('col.latency'), t('col.events'), t('col.error')]}>
          {attempts.items.map((a) => (
            <tr key={a.id} data-attempt={a.id} class={`outcome-${a.outcome}`}>
              <th scope="row"><TimeText value={a.at} style="precise" /></th>
              <td>{t(`outcome.${a.outcome}`)}</td>
              <td>{a.status_code ?? '—'}</td>
              <td>{t('latencyMs', { ms: a.latency_ms })}</td>
              <td>{a.events}</td>
              <td class="delivery-error">{a.error ?? (a.replay_of !== undefined ? t('replayOf', { letter: a.replay_of }) : '')}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </details>
  );
}
