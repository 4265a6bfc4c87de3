import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/** Who is signed in, as GET /console/session answers. */
export type Role = 'operator' | 'org-admin' | 'provider' | 'consumer';

export interface Session {
  readonly user_id: string;
  readonly username: string;
  readonly organization: string;
  readonly roles: readonly Role[];
  readonly csrf_token: string;
  readonly expires_at: string;
  readonly idle_timeout_seconds: number;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

export function hasRole(session: Session, ...roles: readonly Role[]): boolean {
  return roles.some((role) => session.roles.includes(role));
}
