import type { ComponentChildren } from 'preact';
import { TextField } from '../../components/filter-bar';
import { ModalDialog } from '../../components/modal-dialog';
import { useT } from '../../i18n';
import { adminApi } from './admin-types';
import { administrationMessages } from './messages';

/**
 * What the Administration page's create/edit forms share: the dialog around them (a new entity's
 * title and body, or the edit title and the common "applies at once" body; Create or Save changes;
 * POST or PATCH to the admin API; the hub's refusal shown inside), and the id + name fields of organizations and trust groups.
 */

/**
 * The dialog of a create (`editing` undefined) or edit form. `check` names what is missing first;
 * then a new entity is POSTed to /admin/api/{resource} as `{ ...created(), ...body() }` (`created`
 * holds what is set only at creation: id, API root, username …), a change PATCHed to
 * …/{resource}/{id} as `body()`, and what the hub answers goes to `onSaved`.
 */
export function EntityFormDialog<T extends { readonly id: string }>(props: {
  readonly id: string;
  readonly resource: string;
  readonly editing: T | undefined;
  readonly newTitle: string;
  readonly editTitle: (editing: T) => string;
  readonly newBody: string;
  readonly check: () => string | undefined;
  readonly created: () => Record<string, unknown>;
  readonly body: () => Record<string, unknown>;
  readonly onSaved: (saved: T) => void;
  readonly onClose: () => void;
  readonly children: (error: string) => ComponentChildren;
}) {
  const t = useT(administrationMessages);
  const { editing } = props;
  const save = async () => {
    props.onSaved(editing === undefined
      ? await adminApi.create<T>(props.resource, { ...props.created(), ...props.body() })
      : await adminApi.update<T>(props.resource, editing.id, props.body()));
  };
  return (
    <ModalDialog
      id={props.id}
      title={editing === undefined ? props.newTitle : props.editTitle(editing)}
      body={editing === undefined ? props.newBody : t('form.editBody')}
      confirmLabel={editing === undefined ? t('form.create') : t('form.save')}
      check={props.check}
      onConfirm={save}
      failed={(message) => t('form.failed', { message })}
      onClose={props.onClose}
    >
      {props.children}
    </ModalDialog>
  );
}

/**
 * The id (new only, with its slug help; it never changes) and the name, both required: `${prefix}-id`
 * and `${prefix}-name`, marked invalid when `error` is the form's idMissing / nameMissing and
 * described by the dialog's error line (`${form}-error`).
 */
export function IdNameFields(props: {
  readonly prefix: string;
  readonly form: string;
  readonly creating: boolean;
  readonly error: string;
  readonly id: string;
  readonly name: string;
  readonly onId: (id: string) => void;
  readonly onName: (name: string) => void;
}) {
  const t = useT(administrationMessages);
  const { prefix, form, error } = props;
  return (
    <>
      {props.creating && (
        <TextField id={`${prefix}-id`} label={t('form.id')} value={props.id} required invalid={error === t('form.idMissing')} describedBy={`${prefix}-id-help ${form}-error`} onInput={props.onId} />
      )}
      {props.creating && <p id={`${prefix}-id-help`} class="help">{t('form.slugHelp')}</p>}
      <TextField id={`${prefix}-name`} label={t('form.name')} value={props.name} required invalid={error === t('form.nameMissing')} describedBy={`${form}-error`} onInput={props.onName} />
    </>
  );
}
