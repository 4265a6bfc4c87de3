import { useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/filter-bar';
import { ModalDialog } from '../../components/modal-dialog';
import { useT } from '../../i18n';
import { adminApi, listOf, type Organization } from './admin-types';
import { TextArea, useChoices } from './form-fields';
import { administrationMessages } from './messages';

/**
 * A new organization (POST /admin/api/organizations) or a change to one the admin API made
 * (PATCH …/{id}): its id (new only: it never changes), name, parent, and the delivery allow-list
 * (where the hub may push its subscriptions; one host, *.domain or CIDR a line). Operators only.
 */
export function OrganizationForm(props: { readonly editing?: Organization; readonly onSaved: (o: Organization) => void; readonly onClose: () => void }) {
  const t = useT(administrationMessages);
  const { editing } = props;
  const organizations = useChoices(adminApi.organizations);
  const [id, setId] = useState(editing?.id ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [parent, setParent] = useState(editing?.parent ?? '');
  const [allowList, setAllowList] = useState((editing?.delivery_allow_list ?? []).join('\n'));

  const check = () => (editing === undefined && id.trim() === '' ? t('form.idMissing') : name.trim() === '' ? t('form.nameMissing') : undefined);
  const save = async () => {
    const body = { name: name.trim(), parent: parent === '' ? null : parent, delivery_allow_list: listOf(allowList) };
    const saved = editing === undefined
      ? await adminApi.create<Organization>('organizations', { id: id.trim(), ...body })
      : await adminApi.update<Organization>('organizations', editing.id, body);
    props.onSaved(saved);
  };

  const parents = organizations.filter((o) => o.id !== editing?.id).map((o) => ({ value: o.id, label: `${o.id} (${o.name})` }));
  if (parent !== '' && !parents.some((p) => p.value === parent)) parents.push({ value: parent, label: parent });
  return (
    <ModalDialog
      id="organization-form"
      title={editing === undefined ? t('org.newTitle') : t('org.editTitle', { id: editing.id })}
      body={editing === undefined ? t('org.newBody') : t('form.editBody')}
      confirmLabel={editing === undefined ? t('form.create') : t('form.save')}
      check={check}
      onConfirm={save}
      failed={(message) => t('form.failed', { message })}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          {editing === undefined && (
            <TextField id="org-id" label={t('form.id')} value={id} required invalid={error === t('form.idMissing')} describedBy="org-id-help organization-form-error" onInput={setId} />
          )}
          {editing === undefined && <p id="org-id-help" class="help">{t('form.slugHelp')}</p>}
          <TextField id="org-name" label={t('form.name')} value={name} required invalid={error === t('form.nameMissing')} describedBy="organization-form-error" onInput={setName} />
          <SelectField id="org-parent" label={t('form.parent')} value={parent} choices={parents} any={t('form.noParent')} onChange={setParent} />
          <TextArea id="org-allow-list" label={t('form.allowList')} value={allowList} help={t('form.allowListHelp')} onInput={setAllowList} />
        </>
      )}
    </ModalDialog>
  );
}
