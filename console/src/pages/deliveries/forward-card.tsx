import type { Translate } from '../../i18n';
import type { Ask } from './confirm-ask';
import { pauseForward } from './delivery-api';
import { AttemptFacts } from './delivery-facts';
import type { ForwardJson } from './types';

/**
 * One TAXII 2.1 forward (GET /api/forwards): the remote collection it pushes into, its state and
 * figures, pause / resume. As for webhooks, only those who may manage it get it listed.
 */
export function ForwardCard({ t, forward: f, collectionName, onAsk }: { readonly t: Translate; readonly forward: ForwardJson; readonly collectionName: string; readonly onAsk: (ask: Ask) => void }) {
  const d = f.delivery;
  const paused = f.status === 'paused';
  const headingId = `forward-${f.id}`;
  const target = f.api_root_url;
  const askPause = () =>
    onAsk({
      title: t(paused ? 'confirm.resume.title' : 'confirm.pause.title', { target }),
      body: t(paused ? 'confirm.resume.body' : 'confirm.pause.body'),
      confirmLabel: t(paused ? 'resume' : 'pause'),
      run: async () => {
        await pauseForward(f.id, !paused);
        return { text: t(paused ? 'resumed' : 'paused', { target }) };
      },
    });
  return (
    <section class="delivery-card" aria-labelledby={headingId} data-forward={f.id}>
      <h3 id={headingId}><code>{f.api_root_url}</code></h3>
      <dl class="facts">
        <dt>{t('fact.remote')}</dt><dd><code>{f.remote_collection}</code></dd>
        <dt>{t('fact.collection')}</dt><dd>{collectionName}</dd>
        <dt>{t('fact.organization')}</dt><dd>{f.organization}</dd>
        <dt>{t('fact.user')}</dt><dd>{f.run_as}</dd>
        <AttemptFacts t={t} paused={paused} delivery={d} />
        <dt>{t('fact.deliveredObjects')}</dt><dd>{d.delivered_objects}</dd>
      </dl>
      <div class="actions">
        <button type="button" aria-label={t(paused ? 'resumeForwardLabel' : 'pauseForwardLabel', { url: target })} onClick={askPause}>{t(paused ? 'resume' : 'pause')}</button>
      </div>
    </section>
  );
}
