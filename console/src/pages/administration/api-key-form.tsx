import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api';
import { useAnnounce } from '../../announce';
import { useT } from '../../i18n';
import { administrationMessages } from './messages';

/**
 * A new API key for a user (POST /admin/api/users/{id}/api-keys). The hub answers its token once
 * and keeps only a hash: the token is shown here once, with that said, and never read again.
 * `onIssued` is told once the key exists (the list of API keys shows it).
 */

interface IssuedKey {
  readonly id: string;
  readonly name: string;
  readonly token: string;
}

export function ApiKeyForm({ userId, username, onIssued, onClose }: { userId: string; username: string; onIssued?: () => void; onClose: () => void }) {
  const t = useT(administrationMessages);
  const announce = useAnnounce();
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<IssuedKey | undefined>();
  const [error, setError] = useState('');
  const nameField = useRef<HTMLInputElement>(null);
  const tokenBox = useRef<HTMLDivElement>(null);

  useEffect(() => nameField.current?.focus(), [userId]);
  useEffect(() => { if (issued !== undefined) tokenBox.current?.focus(); }, [issued]);

  const create = async () => {
    setError('');
    try {
      const key = await api<IssuedKey>('POST', `/admin/api/users/${encodeURIComponent(userId)}/api-keys`, { name: name.trim() });
      setIssued(key);
      onIssued?.();
      announce(t('keyCreated', { name: key.name, user: username }));
    } catch (e) {
      const message = t('keyFailed', { message: e instanceof Error ? e.message : String(e) });
      setError(message);
      announce(message, 'error');
    }
  };

  return (
    <section class="api-key-form" aria-labelledby="api-key-heading">
      <h3 id="api-key-heading">{t('keyHeading', { user: username })}</h3>
      {issued === undefined ? (
        <form onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <div class="field">
            <label for="api-key-name">{t('keyName')}</label>
            <input id="api-key-name" ref={nameField} value={name} required onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <button type="submit">{t('keyCreate')}</button>{' '}
          <button type="button" onClick={onClose}>{t('keyCancel')}</button>
          {error !== '' && <p class="error">{error}</p>}
        </form>
      ) : (
        <div class="token-once" tabIndex={-1} ref={tokenBox}>
          <p><strong>{t('tokenOnce')}</strong></p>
          <p>{t('tokenLabel', { name: issued.name })} <code class="api-token">{issued.token}</code></p>
          <button type="button" onClick={onClose}>{t('tokenDone')}</button>
        </div>
      )}
    </section>
  );
}
