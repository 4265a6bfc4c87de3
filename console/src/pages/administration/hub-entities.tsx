import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { useT, type Translate } from '../../i18n';
import { ApiKeyForm } from './api-key-form';
import { administrationMessages } from './messages';

/**
 * Read views of the hub's organizations, users, trust groups and collections (GET /admin/api/…),
 * as far as the admin API lets the signed-in user read them. Entities declared in the config
 * files are marked read-only (`managed_by: config`): they change in the config, not here.
 * A user's row offers a new API key (its token shown once).
 */

type Kind = 'organizations' | 'users' | 'trust-groups' | 'collections';
const KINDS: readonly Kind[] = ['organizations', 'users', 'trust-groups', 'collections'];
/** The list's key in the admin API's answer. */
const LIST_KEY: Readonly<Record<Kind, string>> = { organizations: 'organizations', users: 'users', 'trust-groups': 'trust_groups', collections: 'collections' };

type Row = Readonly<Record<string, unknown>> & { readonly id: string; readonly managed_by: 'config' | 'admin' };

const text = (value: unknown): string => (value === null || value === undefined ? '—' : Array.isArray(value) ? value.map(text).join(', ') : typeof value === 'object' ? Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${text(v)}`).join('; ') : String(value));

/** The columns of each kind: [message key, field]. */
const COLUMNS: Readonly<Record<Kind, readonly (readonly [string, string])[]>> = {
  organizations: [['col.id', 'id'], ['col.name', 'name'], ['col.parent', 'parent']],
  users: [['col.username', 'username'], ['col.organization', 'organization'], ['col.roles', 'roles'], ['col.disabled', 'disabled']],
  'trust-groups': [['col.id', 'id'], ['col.name', 'name'], ['col.topology', 'topology'], ['col.members', 'members']],
  collections: [['col.id', 'id'], ['col.alias', 'alias'], ['col.title', 'title'], ['col.owner', 'owner'], ['col.defaultMarking', 'default_marking']],
};

function Managed({ row, t }: { row: Row; t: Translate }) {
  return row.managed_by === 'config' ? <span class="managed-config">{t('managedConfig')}</span> : <span>{t('managedAdmin')}</span>;
}

export function HubEntities() {
  const t = useT(administrationMessages);
  const announce = useAnnounce();
  const [kind, setKind] = useState<Kind>('organizations');
  const [rows, setRows] = useState<readonly Row[] | undefined>();
  const [error, setError] = useState('');
  const [keyFor, setKeyFor] = useState<Row | undefined>();
  // The first list loads with the page, below the audit trail: the audit trail's announcement is the news.
  const quiet = useRef(true);

  useEffect(() => {
    let current = true;
    setRows(undefined);
    setError('');
    setKeyFor(undefined);
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
  }, [kind]);

  const columns = COLUMNS[kind];
  return (
    <section class="hub-entities" aria-labelledby="entities-heading">
      <h2 id="entities-heading">{t('entitiesHeading')}</h2>
      <p>{t('entitiesIntro')}</p>
      <div class="field">
        <label for="entities-kind">{t('entitiesKind')}</label>
        <select id="entities-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
          {KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
        </select>
      </div>
      {error !== '' && <p class="error">{error}</p>}
      {rows === undefined && error === '' && <p role="status">{t('loading')}</p>}
      {rows !== undefined && rows.length === 0 && <p>{t('entitiesNone')}</p>}
      {rows !== undefined && rows.length > 0 && (
        <div class="table-scroll">
          <table class="entity-list">
            <caption>{t(`kind.${kind}`)}</caption>
            <thead>
              <tr>
                {columns.map(([key]) => <th key={key} scope="col">{t(key)}</th>)}
                <th scope="col">{t('col.managedBy')}</th>
                {kind === 'users' && <th scope="col">{t('col.apiKeys')}</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-id={row.id}>
                  {columns.map(([key, fieldName]) => <td key={key}>{text(row[fieldName])}</td>)}
                  <td><Managed row={row} t={t} /></td>
                  {kind === 'users' && (
                    <td>
                      <button type="button" aria-label={t('newKeyFor', { user: text(row.username) })} onClick={() => setKeyFor(row)}>{t('newKey')}</button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keyFor !== undefined && <ApiKeyForm userId={keyFor.id} username={text(keyFor.username)} onClose={() => setKeyFor(undefined)} />}
    </section>
  );
}
