import { DataTable } from '../../components/data-table';
import type { Translate } from '../../i18n';
import type { Loaded, WebhookWithLetters } from './delivery-api';
import { ListStatus } from '../../components/list-status';
import { TimeText, useFormatTime } from '../../components/time-text';
import { pauseWebhook, replayLetter, statusOf } from './delivery-api';
import { AttemptFacts } from './delivery-facts';
import { WebhookAttempts } from './webhook-attempts';
import type { Ask } from './confirm-ask';
import type { DeadLetterJson, WebhookJson } from './types';

/**
 * One webhook (GET /api/webhooks): where it sends, its state and figures, pause / resume, its newest
 * attempts (./webhook-attempts) and its dead letters, each with a Replay button. Only org-admins and operators get the list at all, and
 * each webhook listed is one they may manage, so the controls are shown with it.
 */
export function WebhookCard({ t, item, onAsk }: { readonly t: Translate; readonly item: WebhookWithLetters; readonly onAsk: (ask: Ask) => void }) {
  const w = item.webhook;
  const d = w.delivery;
  const paused = w.status === 'paused';
  const headingId = `webhook-${w.id}`;
  const askPause = () =>
    onAsk({
      title: t(paused ? 'confirm.resume.title' : 'confirm.pause.title', { target: w.url }),
      body: t(paused ? 'confirm.resume.body' : 'confirm.pause.body'),
      confirmLabel: t(paused ? 'resume' : 'pause'),
      run: async () => {
        await pauseWebhook(w.id, !paused);
        return { text: t(paused ? 'resumed' : 'paused', { target: w.url }) };
      },
    });
  return (
    <section class="delivery-card" aria-labelledby={headingId} data-webhook={w.id}>
      <h3 id={headingId}><code>{w.url}</code></h3>
      <dl class="facts">
        <dt>{t('fact.collection')}</dt><dd>{w.collection_name}</dd>
        <dt>{t('fact.organization')}</dt><dd>{w.organization}</dd>
        <AttemptFacts t={t} paused={paused} delivery={d} failingSince={d.failing_since} />
        <dt>{t('fact.deliveredEvents')}</dt><dd>{d.delivered_events}</dd>
      </dl>
      <div class="actions">
        <button type="button" aria-label={t(paused ? 'resumeWebhookLabel' : 'pauseWebhookLabel', { url: w.url })} onClick={askPause}>{t(paused ? 'resume' : 'pause')}</button>
      </div>
      <WebhookAttempts t={t} webhook={w} />
      <DeadLetters t={t} webhook={w} letters={item.letters} onAsk={onAsk} />
    </section>
  );
}

function DeadLetters({ t, webhook, letters, onAsk }: { readonly t: Translate; readonly webhook: WebhookJson; readonly letters: Loaded<DeadLetterJson>; readonly onAsk: (ask: Ask) => void }) {
  const time = useFormatTime();
  const askReplay = (letter: DeadLetterJson) =>
    onAsk({
      title: t('confirm.replay.title'),
      body: t('confirm.replay.body', { events: letter.events, url: webhook.url }),
      confirmLabel: t('replay'),
      run: async () => {
        const outcome = await replayLetter(webhook.id, letter.id);
        return outcome.replayed
          ? { text: t('replayDone', { events: outcome.events ?? 0, requests: outcome.requests ?? 0 }) }
          : { text: t('replayNotDone', { error: outcome.error ?? '' }), error: true };
      },
    });
  return (
    <>
      <h4>{t('lettersHeading')}</h4>
      <ListStatus {...statusOf(letters, (message) => t('loadFailed', { list: t('list.letters'), message }))} empty={t('lettersNone')} />
      {letters !== undefined && 'items' in letters && letters.items.length > 0 && (
        <DataTable class="letter-list" caption={t('lettersCaption', { url: webhook.url })} columns={[t('col.deadAt'), t('col.events'), t('col.error'), t('col.replayedAt'), t('col.action')]}>
          {letters.items.map((letter) => (
            <tr key={letter.id} data-letter={letter.id}>
              <th scope="row"><TimeText value={letter.dead_at} style="precise" /></th>
              <td>{letter.events}</td>
              <td class="delivery-error">{letter.error}</td>
              <td><TimeText value={letter.replayed_at} style="precise" missing={t('never')} /></td>
              <td>
                <button type="button" aria-label={t('replayLabel', { at: time(letter.dead_at, 'precise'), events: letter.events })} onClick={() => askReplay(letter)}>{t('replay')}</button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
