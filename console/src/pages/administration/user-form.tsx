import { useState } from 'preact/hooks';
import { Field, SelectField, TextField } from '../../components/filter-bar';
import { useT } from '../../i18n';
import { hasRole, useSession, type Role } from '../../session';
import { adminApi, ROLES, type User } from './admin-types';
import { Checkbox, CheckboxGroup, useChoices } from './form-fields';
import { EntityFormDialog } from './entity-form';
import { administrationMessages } from './messages';

/**
 * A new user (POST /admin/api/users) or a change to one the admin API made (PATCH …/{id}): its
 * roles, whether it is disabled, and a password (optional; at least 12 characters; left empty on a
 * change, the password stays). An org-admin creates users only in its own organization and never
 * hands out the operator role (the hub refuses both; the form does not offer them).
 */
export function UserForm(props: { readonly editing?: User; readonly onSaved: (u: User) => void; readonly onClose: () => void }) {
  const t = useT(administrationMessages);
  const session = useSession();
  const operator = hasRole(session, 'operator');
  const { editing } = props;
  const organizations = useChoices(operator ? adminApi.organizations : async () => []);
  const [username, setUsername] = useState(editing?.username ?? '');
  const [organization, setOrganization] = useState(editing?.organization ?? session.organization);
  const [roles, setRoles] = useState<readonly string[]>(editing?.roles ?? ['consumer']);
  const [password, setPassword] = useState('');
  const [disabled, setDisabled] = useState(editing?.disabled ?? false);

  const check = () => {
    if (editing === undefined && username.trim() === '') return t('user.usernameMissing');
    if (roles.length === 0) return t('user.rolesMissing');
    if (password !== '' && password.length < 12) return t('user.passwordShort');
    return undefined;
  };
  const body = () => ({ roles: ROLES.filter((r) => roles.includes(r)), disabled, ...(password !== '' ? { password } : {}) });

  const organizationChoices = (operator ? organizations.map((o) => o.id) : [session.organization]).map((id) => ({ value: id, label: id }));
  if (!organizationChoices.some((c) => c.value === organization)) organizationChoices.push({ value: organization, label: organization });
  const roleOptions = ROLES.map((role: Role) => ({ value: role, label: t(`role.${role}`), disabled: role === 'operator' && !operator }));
  return (
    <EntityFormDialog
      id="user-form"
      resource="users"
      editing={editing}
      newTitle={t('user.newTitle')}
      editTitle={(u) => t('user.editTitle', { username: u.username })}
      newBody={t('user.newBody')}
      check={check}
      created={() => ({ username: username.trim(), organization })}
      body={body}
      onSaved={props.onSaved}
      onClose={props.onClose}
    >
      {(error) => (
        <>
          {editing === undefined && (
            <TextField id="user-username" label={t('user.username')} value={username} required invalid={error === t('user.usernameMissing')} describedBy="user-form-error" onInput={setUsername} />
          )}
          {editing === undefined && <SelectField id="user-organization" label={t('user.organization')} value={organization} choices={organizationChoices} onChange={setOrganization} />}
          <CheckboxGroup id="user-role" legend={t('user.roles')} options={roleOptions} checked={roles} onChange={setRoles} />
          {!operator && <p class="help">{t('user.operatorRoleHelp')}</p>}
          <Field id="user-password" label={editing === undefined ? t('user.password') : t('user.newPassword')}>
            <input
              id="user-password"
              type="password"
              autocomplete="new-password"
              value={password}
              aria-invalid={error === t('user.passwordShort') ? true : undefined}
              aria-describedby="user-password-help user-form-error"
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          <p id="user-password-help" class="help">{editing === undefined ? t('user.passwordHelp') : t('user.newPasswordHelp')}</p>
          <Checkbox id="user-disabled" label={t('user.disabled')} checked={disabled} onChange={setDisabled} />
        </>
      )}
    </EntityFormDialog>
  );
}
