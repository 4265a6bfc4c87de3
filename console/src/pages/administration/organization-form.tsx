import { useState } from 'preact/hooks';
import { SelectField } from '../../components/filter-bar';
import { useT } from '../../i18n';
import { adminApi, listOf, type Organization } from './admin-types';
import { namedChoices, TextArea, useChoices } from './form-fields';
import { EntityFormDialog, IdNameFields } from './entity-form';
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
  const body = () => ({ name: name.trim(), parent: parent === '' ? null : parent, delivery_allow_list: listOf(allowList) });

  const parents = namedChoices(organizations.filter((o) => o.id !== editing?.id), [parent]);
  return (
    <EntityFormDialog
      id="organization-form"
      resource="organizations"
      editing={editing}
      newTitle={t('org.newTitle')}
      editTitle={(o) => t('org.editTitle', { id: o.id })}
      newBody={t('org.newBody')}
      check={check}
      created={() => ({ id: id.trim() })}
      body={body}
      onSaved={props.onSaved}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          <IdNameFields prefix="org" form="organization-form" creating={editing === undefined} error={error} id={id} name={name} onId={setId} onName={setName} />
          <SelectField id="org-parent" label={t('form.parent')} value={parent} choices={parents} any={t('form.noParent')} onChange={setParent} />
          <TextArea id="org-allow-list" label={t('form.allowList')} value={allowList} help={t('form.allowListHelp')} onInput={setAllowList} />
        </>
      )}
    </EntityFormDialog>
  );
}
