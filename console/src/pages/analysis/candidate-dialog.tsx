import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../../i18n';

export type Decision = 'confirm' | 'reject';

/**
 * The decision about a campaign candidate: a modal <dialog> (focus moves into it, Escape cancels)
 * asking the campaign's name (required) and description to confirm, or a reason to reject. The
 * hub's refusal (403 naming the role needed, 409) is shown inside.
 */
export function CandidateDialog(props: {
  readonly t: Translate;
  readonly decision: Decision;
  readonly members: number;
  readonly onDecide: (text: { readonly name: string; readonly description: string }) => Promise<void>;
  readonly onClose: () => void;
}) {
  const { t, decision } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);

  const decide = async (event: Event) => {
    event.preventDefault();
    if (decision === 'confirm' && name.trim() === '') {
      setError(t('nameMissing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await props.onDecide({ name: name.trim(), description: description.trim() });
      dialog.current?.close();
    } catch (e) {
      setError(t('failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="confirm-dialog" aria-labelledby="decide-title" aria-describedby="decide-body" onClose={props.onClose}>
      <form onSubmit={(e) => void decide(e)} noValidate>
        <h2 id="decide-title">{t(`dialog.${decision}.title`)}</h2>
        <p id="decide-body">{t(`dialog.${decision}.body`, { count: props.members })}</p>
        {decision === 'confirm' && (
          <>
            <label for="decide-name">{t('campaignName')}</label>
            <input id="decide-name" type="text" value={name} required aria-invalid={error === t('nameMissing') ? true : undefined} aria-describedby="decide-error" onInput={(e) => setName(e.currentTarget.value)} />
          </>
        )}
        <label for="decide-text">{decision === 'confirm' ? t('description') : t('rejectReason')}</label>
        <textarea id="decide-text" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <p id="decide-error" class="error" role="alert">{error}</p>
        <div class="dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
          <button type="submit" class={decision === 'reject' ? 'danger' : 'primary'} disabled={busy}>{t(`do.${decision}`)}</button>
        </div>
      </form>
    </dialog>
  );
}
