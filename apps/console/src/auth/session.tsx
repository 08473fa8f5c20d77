import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { useTokenFrom } from '../api/client';

export type Role = 'office_staff' | 'reviewer' | 'courier' | 'operator' | 'admin';

export interface SessionUser {
  readonly id: string;
  readonly role: Role;
  readonly label: string;
  readonly officeId?: string;
  readonly departmentId?: string;
  readonly courierId?: string;
  readonly supervisor?: boolean;
}

export interface Session {
  readonly token: string;
  readonly user: SessionUser;
}

interface SessionContextValue {
  readonly session: Session | null;
  readonly signIn: (session: Session) => void;
  readonly signOut: () => void;
}

// Per tab: a token must not outlive the browser tab it was issued to.
const STORAGE_KEY = 'tongban.session';

function stored(): Session | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);
  useTokenFrom(() => session?.token);
  const signIn = useCallback((next: Session) => {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    setSession(null);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Where each role starts. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'office_staff':
      return '/office/cases';
    case 'reviewer':
      return '/reviewer';
    case 'courier':
      return '/courier';
    default:
      return '/operator';
  }
}
