import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { SelectField } from '../../components/filter-bar';
import { ListStatus } from '../../components/list-status';
import { useT } from '../../i18n';
import { hasRole, useSession } from '../../session';
import type { Collection, ManagedBy, Organization, TrustGroup, User } from './admin-types';
import { ApiKeyForm } from './api-key-form';
import { CollectionForm } from './collection-form';
import { ManagedCell } from './form-fields';
import { administrationMessages } from './messages';
import { OrganizationForm } from './organization-form';
import { TrustGroupForm } from './trust-group-form';
import { UserForm } from './user-form';

/**
 * The hub's organizations, users, trust groups and collections (GET /admin/api/…), as far as the
 * signed-in user may manage them: an operator every kind, an org-admin the users of its own
 * organization. What the admin API made has an Edit button (and there is a New button for each
 * kind); what the config files declare (`managed_by: config`) is read-only here and says which
 * file and line declare it (`declared_in`). A user's row offers a new API key (its token shown once).
 */

type Kind = 'organizations' | 'users' | 'trust-groups' | 'collections';
const KINDS: readonly Kind[] = ['organizations', 'users', 'trust-groups', 'collections'];
/** The list's key in the admin API's answer. */
const LIST_KEY: Readonly<Record<Kind, string>> = { organizations: 'organizations', users: 'users', 'trust-groups': 'trust_groups', collections: 'collections' };

type Row = Readonly<Record<string, unknown>> & { readonly id: string; readonly managed_by: ManagedBy; readonly declared_in?: string | null };

const text = (value: unknown): string => (value === null || value === undefined ? '—' : Array.isArray(value) ? value.map(text).join(', ') : typeof value === 'object' ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${text(v)}`).join('; ') : String(value));

/** The columns of each kind: [message key, field]. */
const COLUMNS: Readonly<Record<Kind, readonly (readonly [string, string])[]>> = {
  organizations: [['col.id', 'id'], ['col.name', 'name'], ['col.parent', 'parent']],
  users: [['col.username', 'username'], ['col.organization', 'organization'], ['col.roles', 'roles'], ['col.disabled', 'disabled']],
  'trust-groups': [['col.id', 'id'], ['col.name', 'name'], ['col.topology', 'topology'], ['col.members', 'members']],
  collections: [['col.id', 'id'], ['col.alias', 'alias'], ['col.title', 'title'], ['col.owner', 'owner'], ['col.defaultMarking', 'default_marking']],
};
/** The field that names a row in buttons' labels. */
const NAME_FIELD: Readonly<Record<Kind, string>> = { organizations: 'id', users: 'username', 'trust-groups': 'id', collections: 'title' };

/** What is open under the list: a form (new or editing a row) or a new API key for a user. */
type Open = { readonly form: Kind; readonly row?: Row } | { readonly key: Row };

export function HubEntities(props: { readonly onKeyIssued: () => void }) {
  const t = useT(administrationMessages);
  const announce = useAnnounce();
  const session = useSession();
  const operator = hasRole(session, 'operator');
  // An org-admin manages the users of its own organization; the structure is the operators'.
  const kinds = operator ? KINDS : (['users'] as const);
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'users');
  const [rows, setRows] = useState<readonly Row[] | undefined>();
  const [error, setError] = useState('');
  const [open, setOpen] = useState<Open | undefined>();
  const [version, setVersion] = useState(0);
  // The first list loads with the page, with the API keys and the audit trail: theirs is the news.
  const quiet = useRef(true);

  useEffect(() => {
    let current = true;
    setError('');
    api<Record<string, Row[]>>('GET', `/admin/api/${kind}`).then(
      (answer) => {
        if (!current) return;
        const list = answer[LIST_KEY[kind]] ?? [];
        setRows(list);
        if (!quiet.current) announce(t('entitiesShown', { count: list.length, kind: t(`kind.${kind}`) }));
        quiet.current = false;
      },
      (e: unknown) => {
        if (!current) return;
        const message = t('entitiesFailed', { kind: t(`kind.${kind}`), message: e instanceof Error ? e.message : String(e) });
        setError(message);
        announce(message, 'error');
      },
    );
    return () => { current = false; };
  }, [kind, version]);

  const choose = (next: Kind) => {
    setRows(undefined);
    setOpen(undefined);
    setKind(next);
  };
  const saved = (what: string, editing: boolean) => {
    announce(t(editing ? 'savedChanged' : 'savedCreated', { what }));
    quiet.current = true; // the list read again after a change: the change is the news
    setVersion((v) => v + 1);
  };
  const close = () => setOpen(undefined);
  const nameOf = (row: Row) => text(row[NAME_FIELD[kind]]);
  // Only an operator changes an operator (the hub refuses an org-admin that; the Edit button is not offered).
  const mayEdit = (row: Row) => row.managed_by !== 'config' && (operator || !(kind === 'users' && (row.roles as readonly string[] | undefined)?.includes('operator')));

  const columns = COLUMNS[kind];
  const heading = operator ? t('entitiesHeading') : t('usersHeading', { organization: session.organization });
  return (
    <section class="hub-entities" aria-labelledby="entities-heading">
      <h2 id="entities-heading">{heading}</h2>
      <p>{operator ? t('entitiesIntro') : t('usersIntro')}</p>
      <div class="entity-toolbar">
        {kinds.length > 1 && <SelectField id="entities-kind" label={t('entitiesKind')} value={kind} choices={kinds.map((k) => ({ value: k, label: t(`kind.${k}`) }))} onChange={(v) => choose(v as Kind)} />}
        <button type="button" class="primary" onClick={() => setOpen({ form: kind })}>{t(`new.${kind}`)}</button>
      </div>
      <ListStatus rows={rows} error={error} empty={t('entitiesNone')} />
      {rows !== undefined && rows.length > 0 && (
        <DataTable
          class="entity-list"
          caption={t(`kind.${kind}`)}
          columns={[...columns.map(([key]) => t(key)), t('col.managedBy'), { label: t('col.actions'), hidden: true }]}
        >
          {rows.map((row) => (
            <tr key={row.id} data-id={row.id}>
              {columns.map(([key, fieldName]) => <td key={key}>{text(row[fieldName])}</td>)}
              <td><ManagedCell row={row} t={t} /></td>
              <td class="row-actions">
                {mayEdit(row) && <button type="button" aria-label={t('editOf', { name: nameOf(row) })} onClick={() => setOpen({ form: kind, row })}>{t('edit')}</button>}
                {kind === 'users' && <button type="button" aria-label={t('newKeyFor', { user: nameOf(row) })} onClick={() => setOpen({ key: row })}>{t('newKey')}</button>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {open !== undefined && 'key' in open && (
        <ApiKeyForm userId={open.key.id} username={nameOf(open.key)} onIssued={props.onKeyIssued} onClose={close} />
      )}
      {open !== undefined && 'form' in open && open.form === 'organizations' && (
        <OrganizationForm editing={open.row as Organization | undefined} onSaved={(o) => saved(o.id, open.row !== undefined)} onClose={close} />
      )}
      {open !== undefined && 'form' in open && open.form === 'users' && (
        <UserForm editing={open.row as User | undefined} onSaved={(u) => saved(u.username, open.row !== undefined)} onClose={close} />
      )}
      {open !== undefined && 'form' in open && open.form === 'trust-groups' && (
        <TrustGroupForm editing={open.row as TrustGroup | undefined} onSaved={(g) => saved(g.id, open.row !== undefined)} onClose={close} />
      )}
      {open !== undefined && 'form' in open && open.form === 'collections' && (
        <CollectionForm editing={open.row as Collection | undefined} onSaved={(c) => saved(c.title, open.row !== undefined)} onClose={close} />
      )}
    </section>
  );
}
