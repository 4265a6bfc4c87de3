import { useEffect, useState } from 'preact/hooks';
import { useAnnounce } from '../../announce';
import { DataTable } from '../../components/data-table';
import { ListStatus } from '../../components/list-status';
import { ModalDialog } from '../../components/modal-dialog';
import { TimeText } from '../../components/time-text';
import { useT } from '../../i18n';
import { adminApi, type ApiKey, type User } from './admin-types';
import { administrationMessages } from './messages';

/**
 * The API keys the signed-in user may manage (GET /admin/api/api-keys: an operator every key, an
 * org-admin those of its organization's users but not of operators), with their user, status and
 * dates. An active key is revoked (POST …/api-keys/{id}/revoke) after a confirmation: the hub
 * refuses it from the next request on, and a revoked key stays listed as revoked. The token is
 * never shown again here: the hub keeps only its hash.
 */
export function ApiKeys(props: { readonly version: number }) {
  const t = useT(administrationMessages);
  const announce = useAnnounce();
  const [keys, setKeys] = useState<readonly ApiKey[] | undefined>();
  const [users, setUsers] = useState<ReadonlyMap<string, string>>(new Map());
  const [error, setError] = useState('');
  const [revoking, setRevoking] = useState<ApiKey | undefined>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    setError('');
    Promise.all([adminApi.apiKeys(), adminApi.users().catch((): User[] => [])]).then(
      ([list, people]) => {
        if (!current) return;
        setUsers(new Map(people.map((u) => [u.id, u.username])));
        setKeys(list);
      },
      (e: unknown) => {
        if (!current) return;
        const message = t('keysFailed', { message: e instanceof Error ? e.message : String(e) });
        setError(message);
        announce(message, 'error');
      },
    );
    return () => { current = false; };
  }, [props.version, reloads]);

  const owner = (key: ApiKey) => users.get(key.user_id) ?? key.user_id;
  const revoke = async (key: ApiKey) => {
    await adminApi.revokeKey(key.id);
    announce(t('keyRevoked', { name: key.name, user: owner(key) }));
    setReloads((n) => n + 1);
  };

  return (
    <section class="api-keys" aria-labelledby="api-keys-heading">
      <h2 id="api-keys-heading">{t('keysHeading')}</h2>
      <p>{t('keysIntro')}</p>
      <ListStatus rows={keys} error={error} empty={t('keysNone')} />
      {keys !== undefined && keys.length > 0 && (
        <DataTable
          class="api-key-list"
          caption={t('keysCaption')}
          columns={[t('col.keyName'), t('col.user'), t('col.keyId'), t('col.status'), t('col.created'), t('col.expires'), { label: t('col.actions'), hidden: true }]}
        >
          {keys.map((key) => (
            <tr key={key.id} data-id={key.id}>
              <th scope="row">{key.name}</th>
              <td>{owner(key)}</td>
              <td><code>{key.id}</code></td>
              <td class={`key-status key-${key.status}`}>{t(`status.${key.status}`)}{key.revoked_at !== null && <> <TimeText value={key.revoked_at} /></>}</td>
              <td><TimeText value={key.created_at} /></td>
              <td><TimeText value={key.expires_at} missing={t('never')} /></td>
              <td>
                {key.status === 'active' && (
                  <button type="button" aria-label={t('revokeKeyOf', { name: key.name, user: owner(key) })} onClick={() => setRevoking(key)}>{t('revoke')}</button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {revoking !== undefined && (
        <ModalDialog
          id="revoke-key"
          title={t('revokeTitle', { name: revoking.name })}
          body={t('revokeBody', { name: revoking.name, user: owner(revoking), id: revoking.id })}
          confirmLabel={t('revokeConfirm')}
          tone="danger"
          onConfirm={() => revoke(revoking)}
          failed={(message) => t('revokeFailed', { message })}
          onClose={() => setRevoking(undefined)}
        />
      )}
    </section>
  );
}
