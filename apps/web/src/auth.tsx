import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { api, setUnauthenticatedHandler } from './api/client';
import type { AuthUser, Role } from './api/types';

interface AuthState {
  user: AuthUser | null;
  /** False until the first /api/auth/me answered. */
  ready: boolean;
  login(username: string, password: string): Promise<AuthUser>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<AuthUser | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let live = true;
    setUnauthenticatedHandler(() => setUser(null));
    if (!api.hasSessionCookie()) {
      setReady(true);
      return () => setUnauthenticatedHandler(null);
    }
    api
      .me()
      .then((s) => live && setUser(s.user))
      .catch(() => live && setUser(null))
      .finally(() => live && setReady(true));
    return () => {
      live = false;
      setUnauthenticatedHandler(null);
    };
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const session = await api.login(username, password);
    setUser(session.user);
    return session.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, ready, login, logout }), [user, ready, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

export const UNIT_ROLES: readonly Role[] = ['unit_head', 'unit_officer'];
export const isUnitRole = (role: Role): boolean => UNIT_ROLES.includes(role);
export const canCoordinate = (role: Role): boolean => role === 'coordinator' || role === 'admin';
export const canSeeDashboard = (role: Role): boolean => role === 'leader' || role === 'coordinator' || role === 'admin';

/** Where each role works: the page the home address sends it to. */
export function homeOf(role: Role): string {
  switch (role) {
    case 'unit_head':
    case 'unit_officer':
      return '/inbox';
    case 'coordinator':
      return '/review-queue';
    case 'leader':
      return '/dashboard';
    case 'admin':
      return '/users';
  }
}
