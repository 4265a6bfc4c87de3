import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useT } from '../i18n';
import { HubErrorHeading } from './hub-error';
import { componentMessages } from './messages';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * A confirmation asked in a modal <dialog> (role=dialog, aria-modal, named by its title and described
 * by its body): opened with showModal() so the page behind is inert and the focus moves to the first
 * field; Tab and Shift+Tab stay inside; Escape or Cancel closes it; on closing the focus goes back to
 * what opened it. Confirming first asks `check()` (an error there is shown and nothing is sent), then
 * awaits `onConfirm()`: the dialog closes when it resolves and shows `failed(message)` inside when it
 * throws (the hub's refusal, e.g. 403 or 409; in the Japanese UI under a heading saying which, see
 * hub-error.tsx). `children(error)` are the fields between the body and the
 * error line; ids are `${id}-title`, `${id}-body`, `${id}-error` (point aria-describedby at the last).
 */
export function ModalDialog(props: {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly confirmLabel: string;
  /** The confirm button's look: `danger` for what cannot be undone. */
  readonly tone?: 'primary' | 'danger';
  readonly check?: () => string | undefined;
  readonly onConfirm: () => Promise<void>;
  readonly failed: (message: string) => string;
  readonly onClose: () => void;
  readonly children?: (error: string) => ComponentChildren;
}) {
  const t = useT(componentMessages);
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState('');
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.showModal();
    return () => opener?.focus();
  }, []);

  const confirm = async (event: Event) => {
    event.preventDefault();
    const problem = props.check?.();
    if (problem !== undefined) {
      setError(problem);
      setFailure(undefined);
      return;
    }
    setBusy(true);
    setError('');
    setFailure(undefined);
    try {
      await props.onConfirm();
      dialog.current?.close();
    } catch (e) {
      setError(props.failed(e instanceof Error ? e.message : String(e)));
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  /** Tab past the last control comes back to the first, Shift+Tab before the first goes to the last. */
  const trap = (event: KeyboardEvent) => {
    if (event.key !== 'Tab' || dialog.current === null) return;
    const inside = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (first === undefined || last === undefined) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  const { id } = props;
  return (
    <dialog ref={dialog} class="confirm-dialog" aria-modal="true" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onClose={props.onClose} onKeyDown={trap}>
      <form onSubmit={(e) => void confirm(e)} noValidate>
        <h2 id={`${id}-title`}>{props.title}</h2>
        <p id={`${id}-body`}>{props.body}</p>
        {props.children?.(error)}
        <p id={`${id}-error`} class="error" role="alert">{error !== '' && <HubErrorHeading error={failure} />}{error}</p>
        <div class="dialog-buttons">
          <button type="button" onClick={() => dialog.current?.close()}>{t('cancel')}</button>
          <button type="submit" class={props.tone ?? 'primary'} disabled={busy}>{props.confirmLabel}</button>
        </div>
      </form>
    </dialog>
  );
}
