import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { HubErrorHeading } from '../components/hub-error';
import { useT } from '../i18n';
import type { Session } from '../session';
import { shellMessages } from '../shell-messages';

/** The sign-in form: a real form with labelled fields; its error is read out (role=alert) and the heading takes the focus. */
export function LoginForm({ notice, onSignedIn }: { readonly notice?: string; readonly onSignedIn: (session: Session) => void }) {
  const t = useT(shellMessages);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  /** What the hub answered when the form shows its words (e.g. a 503): headed in the Japanese UI. */
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (username.trim() === '' || password === '') {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError(undefined);
    setFailure(undefined);
    try {
      onSignedIn(await api<Session>('POST', '/console/session', { username: username.trim(), password }));
    } catch (e) {
      setPassword('');
      if (e instanceof ApiError && e.status === 401) setError(t('login.wrong'));
      else if (e instanceof ApiError && e.status === 429) setError(t('login.throttled', { seconds: e.details.retryAfter ?? 60 }));
      else {
        setError(t('errorPrefix', { message: e instanceof Error ? e.message : String(e) }));
        setFailure(e);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login" tabIndex={-1}>
      <h1 ref={heading} tabIndex={-1}>{t('login.heading')}</h1>
      {notice && <p class="notice" role="status">{notice}</p>}
      <p>{t('login.intro')}</p>
      <form onSubmit={submit} noValidate aria-describedby={error ? 'login-error' : undefined}>
        <label for="login-username">{t('login.username')}</label>
        <input id="login-username" name="username" autoComplete="username" value={username} onInput={(e) => setUsername(e.currentTarget.value)} required />
        <label for="login-password">{t('login.password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} required />
        <button type="submit" disabled={busy}>{busy ? t('login.busy') : t('login.submit')}</button>
        <p id="login-error" class="error" role="alert">{error !== undefined && <HubErrorHeading error={failure} />}{error ?? ''}</p>
      </form>
    </main>
  );
}
