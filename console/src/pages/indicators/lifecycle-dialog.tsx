import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../../i18n';

export type LifecycleAction = 'revoke' | 'benign' | 'purge';
/** What a confirmation dialog confirms: a lifecycle action, or a false-positive report (which changes nothing of the indicator). */
export type DialogAction = LifecycleAction | 'false-positive';

/**
 * The confirmation of a lifecycle action (or a false-positive report): a modal <dialog> (focus moves into it and stays there,
 * Escape cancels) that names the indicator and says what will happen, with the reason the action
 * takes (required for benign and purge; the explanation of a false positive). Confirming calls `onConfirm`; its error is shown inside.
 */
export function LifecycleDialog(props: {
  readonly t: Translate;
  readonly action: DialogAction;
  readonly name: string;
  readonly id: string;
  readonly collection: string;
  readonly onConfirm: (reason: string) => Promise<void>;
  readonly onClose: () => void;
}) {
  const { t, action } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const required = action !== 'revoke';

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);

  const confirm = async (event: Event) => {
    event.preventDefault();
    if (required && reason.trim() === '') {
      setError(t('reasonMissing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await props.onConfirm(reason.trim());
      dialog.current?.close();
    } catch (e) {
      setError(t('failed', { message: e instanceof Error ? e.message : String(e) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="confirm-dialog" aria-labelledby="confirm-title" aria-describedby="confirm-body" onClose={props.onClose}>
      <form onSubmit={(e) => void confirm(e)} noValidate>
        <h2 id="confirm-title">{t(`confirm.${action}.title`, { name: props.name })}</h2>
        <p id="confirm-body">{t(`confirm.${action}.body`, { id: props.id, collection: props.collection })}</p>
        <label for="confirm-reason">{action === 'false-positive' ? t('explanationRequired') : required ? t('reasonRequired') : t('reasonOptional')}</label>
        <textarea id="confirm-reason" rows={2} value={reason} required={required} aria-invalid={error === t('reasonMissing') ? true : undefined} aria-describedby="confirm-error" onInput={(e) => setReason(e.currentTarget.value)} />
        <p id="confirm-error" class="error" role="alert">{error}</p>
        <div class="dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
          <button type="submit" class={action === 'purge' ? 'danger' : 'primary'} disabled={busy}>{t(`do.${action}`)}</button>
        </div>
      </form>
    </dialog>
  );
}
