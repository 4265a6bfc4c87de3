import { DataTable } from '../../components/data-table';
import type { Translate } from '../../i18n';
import { ListStatus } from '../../components/list-status';
import { TimeText } from '../../components/time-text';
import { statusOf, type Loaded } from './delivery-api';
import { LastError, StateLabel } from './delivery-facts';
import type { SubscriptionJson } from './types';
import { stateOf } from './types';

/**
 * TAXII 1.1 subscriptions (GET /admin/api/subscriptions, read only: subscribers manage them over
 * TAXII 1.1). A subscription without a push address is polled by its subscriber: the hub sends it
 * nothing, so it has no delivery figures (nor a backlog) to show.
 */
export function SubscriptionsSection({ t, loaded }: { readonly t: Translate; readonly loaded: Loaded<SubscriptionJson> }) {
  return (
    <section class="delivery-section" aria-labelledby="subscriptions-heading">
      <h2 id="subscriptions-heading">{t('subscriptionsHeading')}</h2>
      <p>{t('subscriptionsIntro')}</p>
      <ListStatus {...statusOf(loaded, (message) => t('loadFailed', { list: t('list.subscriptions'), message }))} empty={t('subscriptionsNone')} />
      {loaded !== undefined && 'items' in loaded && loaded.items.length > 0 && (
        <DataTable
          class="subscription-list"
          caption={t('subscriptionsCaption')}
          columns={[t('col.collection'), t('col.organization'), t('col.address'), t('col.state'), t('col.backlog'), t('col.lastDelivered'), t('col.lastError'), t('col.nextAttempt')]}
        >
          {loaded.items.map((s) => <SubscriptionRow key={s.id} t={t} s={s} />)}
        </DataTable>
      )}
    </section>
  );
}

function SubscriptionRow({ t, s }: { readonly t: Translate; readonly s: SubscriptionJson }) {
  const d = s.delivery;
  const pushed = s.push !== null;
  const state = !pushed ? 'polled' : stateOf(s.status !== 'ACTIVE', d);
  return (
    <tr data-subscription={s.id}>
      <th scope="row">{s.collection_name}</th>
      <td>{s.organization}</td>
      <td>{pushed ? <code>{s.push?.address}</code> : t('notPushed')}</td>
      <td><StateLabel t={t} state={state} />{pushed && d.consecutive_failures > 0 && <span class="delivery-note">{t('failures', { count: d.consecutive_failures })}</span>}</td>
      <td>{!pushed ? '—' : d.backlog === null ? t('backlogUnreadable') : t('backlogRecords', { count: d.backlog })}</td>
      <td>{pushed ? <TimeText value={d.last_success_at} style="precise" missing={t('never')} /> : '—'}</td>
      <td><LastError t={t} error={d.last_error} at={d.last_error_at} /></td>
      <td>{pushed ? <TimeText value={d.next_attempt_at} style="precise" missing={t('none')} /> : '—'}</td>
    </tr>
  );
}
