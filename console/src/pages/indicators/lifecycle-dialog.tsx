import { useState } from 'preact/hooks';
import { ModalDialog } from '../../components/modal-dialog';
import type { Translate } from '../../i18n';

export type LifecycleAction = 'revoke' | 'benign' | 'purge';
/** What a confirmation dialog confirms: a lifecycle action, or a false-positive report (which changes nothing of the indicator). */
export type DialogAction = LifecycleAction | 'false-positive';

/**
 * The confirmation of a lifecycle action (or a false-positive report): a ModalDialog (focus moves into it and stays there,
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
  const [reason, setReason] = useState('');
  const required = action !== 'revoke';

  return (
    <ModalDialog
      id="confirm"
      title={t(`confirm.${action}.title`, { name: props.name })}
      body={t(`confirm.${action}.body`, { id: props.id, collection: props.collection })}
      confirmLabel={t(`do.${action}`)}
      tone={action === 'purge' ? 'danger' : 'primary'}
      check={() => (required && reason.trim() === '' ? t('reasonMissing') : undefined)}
      onConfirm={() => props.onConfirm(reason.trim())}
      failed={(message) => t('failed', { message })}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          <label for="confirm-reason">{action === 'false-positive' ? t('explanationRequired') : required ? t('reasonRequired') : t('reasonOptional')}</label>
          <textarea id="confirm-reason" rows={2} value={reason} required={required} aria-invalid={error === t('reasonMissing') ? true : undefined} aria-describedby="confirm-error" onInput={(e) => setReason(e.currentTarget.value)} />
        </>
      )}
    </ModalDialog>
  );
}
