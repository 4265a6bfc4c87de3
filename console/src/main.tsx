import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, onSessionEnded, setCsrfToken } from './api';
import { TimeText } from './components/time-text';
import { AnnounceContext, type AnnounceKind } from './announce';
import { initialLang, LangContext, LANGS, rememberLang, translate, useLang, useT, type Lang } from './i18n';
import { PAGES, pagesFor, type PageEntry } from './pages/registry';
import { hrefFor, useRoute } from './router';
import { SessionContext, type Session } from './session';
import { LoginForm } from './shell/login-form';
import { shellMessages } from './shell-messages';
import './styles.css';

/**
 * The console's shell: header (who is signed in, language switch, sign out), navigation by role,
 * the page for the hash route under a heading that takes the focus on every navigation, and the
 * live regions pages announce results and errors in.
 */

type Phase = { readonly kind: 'loading' } | { readonly kind: 'signed-out'; readonly notice?: string } | { readonly kind: 'signed-in'; readonly session: Session };

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const t = (key: string, params?: Record<string, string | number>) => translate(shellMessages, lang, key, params);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    api<Session>('GET', '/console/session').then(
      (session) => signedIn(session),
      () => setPhase({ kind: 'signed-out' }),
    );
    onSessionEnded(() => {
      setCsrfToken(undefined);
      setPhase({ kind: 'signed-out', notice: translate(shellMessages, lang, 'sessionEnded') });
    });
  }, []);

  const signedIn = (session: Session) => {
    setCsrfToken(session.csrf_token);
    setPhase({ kind: 'signed-in', session });
  };
  const signOut = async () => {
    try {
      await api('DELETE', '/console/session');
    } finally {
      setCsrfToken(undefined);
      // The next person to sign in here starts on their own first page, not on the page (and query) this one left.
      history.replaceState(null, '', location.pathname + location.search);
      setPhase({ kind: 'signed-out', notice: t('signedOut') });
    }
  };
  const chooseLang = (next: Lang) => {
    rememberLang(next);
    setLang(next);
  };

  return (
    <LangContext.Provider value={lang}>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('skipToContent')}</a>
      <header class="app-header">
        <span class="app-name">{t('appName')}</span>
        <div class="lang-switch" role="group" aria-label={t('language')}>
          {LANGS.map((l) => (
            <button type="button" key={l} lang={l} aria-pressed={l === lang} onClick={() => chooseLang(l)}>{t(`lang.${l}`)}</button>
          ))}
        </div>
        {phase.kind === 'signed-in' && (
          <div class="who">
            <span>{t('signedInAs', { user: phase.session.username, organization: phase.session.organization })}</span>
            <span class="roles">{phase.session.roles.map((r) => t(`role.${r}`)).join(', ')}</span>
            <span class="session-ends">{t('sessionEnds')} <TimeText value={phase.session.expires_at} /></span>
            <button type="button" onClick={() => void signOut()}>{t('signOut')}</button>
          </div>
        )}
      </header>
      {phase.kind === 'loading' && <main id="main" tabIndex={-1}><p role="status">{t('loading')}</p></main>}
      {phase.kind === 'signed-out' && <LoginForm notice={phase.notice} onSignedIn={signedIn} />}
      {phase.kind === 'signed-in' && (
        <SessionContext.Provider value={phase.session}>
          <SignedIn session={phase.session} />
        </SessionContext.Provider>
      )}
    </LangContext.Provider>
  );
}

function SignedIn({ session }: { readonly session: Session }) {
  const t = useT(shellMessages);
  const route = useRoute();
  const lang = useLang();
  const pages = pagesFor(session.roles);
  const current = route.page === '' ? pages[0] : pages.find((p) => p.path === route.page);
  const heading = useRef<HTMLHeadingElement>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  // Each page gets an announce of its own: what a page left behind announces (a list answered after
  // the user moved on) is dropped, so a page's live regions only ever speak of that page.
  const pageGeneration = useRef(0);
  const announce = useMemo(() => {
    const mine = ++pageGeneration.current;
    const current = () => mine === pageGeneration.current;
    return (text: string, kind: AnnounceKind = 'status') => {
      if (!current()) return;
      // Cleared first so the same text twice is read out twice.
      const set = kind === 'error' ? setAlert : setStatus;
      set('');
      setTimeout(() => {
        if (current()) set(text);
      }, 0);
    };
  }, [route.page]);

  useEffect(() => {
    // A new page starts with empty live regions: the last page's result is not this page's.
    setAlert('');
    setStatus('');
    heading.current?.focus();
  }, [route.page]);

  const title = current ? translate(current.messages, lang, current.navKey) : route.page;
  useEffect(() => {
    document.title = `${title} – ${t('appName')}`;
  }, [title, t]);

  return (
    <AnnounceContext.Provider value={announce}>
      <nav class="app-nav" aria-label={t('mainNav')}>
        <ul>
          {pages.map((p) => (
            <li key={p.path}>
              <a href={hrefFor(p.path)} aria-current={p === current ? 'page' : undefined}>
                <NavLabel entry={p} />
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <h1 ref={heading} tabIndex={-1} id="page-heading">{title}</h1>
        <div class="live" role="status" aria-live="polite" id="live-status">{status}</div>
        <div class="live error" role="alert" id="live-alert">{alert}</div>
        {current ? <current.component key={current.path} /> : <p>{PAGES.some((p) => p.path === route.page) ? t('notForRole') : t('notFound', { page: route.page })}</p>}
      </main>
    </AnnounceContext.Provider>
  );
}

function NavLabel({ entry }: { readonly entry: PageEntry }) {
  const t = useT(entry.messages);
  return <>{t(entry.navKey)}</>;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
