import { useState } from 'preact/hooks';
import { ModalDialog } from '../../components/modal-dialog';
import type { Translate } from '../../i18n';

export type Decision = 'confirm' | 'reject';

/**
 * The decision about a campaign candidate: a ModalDialog (focus moves into it, Escape cancels)
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
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');

  return (
    <ModalDialog
      id="decide"
      title={t(`dialog.${decision}.title`)}
      body={t(`dialog.${decision}.body`, { count: props.members })}
      confirmLabel={t(`do.${decision}`)}
      tone={decision === 'reject' ? 'danger' : 'primary'}
      check={() => (decision === 'confirm' && name.trim() === '' ? t('nameMissing') : undefined)}
      onConfirm={() => props.onDecide({ name: name.trim(), description: description.trim() })}
      failed={(message) => t('failed', { message })}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          {decision === 'confirm' && (
            <>
              <label for="decide-name">{t('campaignName')}</label>
              <input id="decide-name" type="text" value={name} required aria-invalid={error === t('nameMissing') ? true : undefined} aria-describedby="decide-error" onInput={(e) => setName(e.currentTarget.value)} />
            </>
          )}
          <label for="decide-text">{decision === 'confirm' ? t('description') : t('rejectReason')}</label>
          <textarea id="decide-text" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        </>
      )}
    </ModalDialog>
  );
}
