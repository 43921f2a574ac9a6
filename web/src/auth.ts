/**
 * Login with an API key. The key lives in sessionStorage (gone when the tab closes); a `#key=<key>`
 * fragment in the URL logs in too and is then removed from the address bar (and from history), so a
 * shared link does not keep it. `me` says who the key is and which roles it holds; the views hide what
 * those roles may not do. With authentication off the server answers `me` as the anonymous principal
 * with every role; a server older than `me` fails its validation (GRAPHQL_VALIDATION_FAILED), which
 * means the same.
 */
import { type Api, ApiError } from './api';
import { DashboardMeDocument } from './gql/graphql';

export type Role = 'ALPHA' | 'MARKETS' | 'EXECUTOR' | 'VIEWER';
export const ALL_ROLES: readonly Role[] = ['ALPHA', 'MARKETS', 'EXECUTOR', 'VIEWER'];

export interface Principal {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly via: string;
}

/** What the dashboard can show or do, and the roles the server allows each (mirrors the resolvers' `@Authorized`). */
export const ABILITIES = {
  readConvictions: ['MARKETS', 'VIEWER'],
  readSignals: ['MARKETS', 'VIEWER'],
  readLineage: ['MARKETS'],
  readVaults: ['ALPHA', 'VIEWER'],
  editVaults: ['ALPHA'],
  readKillSwitches: ['ALPHA', 'EXECUTOR', 'VIEWER'],
  setKillSwitches: ['ALPHA', 'EXECUTOR'],
  readCollectors: ['MARKETS', 'VIEWER'],
  readModels: ['ALPHA', 'VIEWER'],
  readDrift: ['ALPHA', 'MARKETS', 'VIEWER'],
} as const satisfies Record<string, readonly Role[]>;

export type Ability = keyof typeof ABILITIES;

export function can(principal: Principal | null, ability: Ability): boolean {
  const allowed: readonly Role[] = ABILITIES[ability];
  return principal !== null && principal.roles.some((role) => allowed.includes(role));
}


const STORAGE_KEY = 'vanta.apiKey';

export class Session {
  principal: Principal | null = null;
  /** True when the server has no authentication (every request is the anonymous principal). */
  authOff = false;

  key(): string | null {
    try {
      return sessionStorage.getItem(STORAGE_KEY);
    } catch {
      return null;
    }
  }

  setKey(key: string | null): void {
    if (key) sessionStorage.setItem(STORAGE_KEY, key);
    else sessionStorage.removeItem(STORAGE_KEY);
  }

  /** Takes a `#key=…` fragment into sessionStorage and strips it from the address bar. */
  consumeFragment(location: Location, history: History): void {
    const match = /(?:^#|&)key=([^&]*)/.exec(location.hash);
    if (!match) return;
    const key = decodeURIComponent(match[1] ?? '').trim();
    if (key) this.setKey(key);
    const rest = location.hash.replace(/(^#|&)key=[^&]*/, '$1').replace(/^#&/, '#').replace(/^#$/, '');
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest}`);
  }

  /**
   * Asks the server who the key is. Resolves the principal, or rejects with an `ApiError`:
   * UNAUTHENTICATED (no key, or one the server refused) means the login form.
   */
  async identify(api: Api): Promise<Principal> {
    let principal: Principal;
    try {
      const { me } = await api.request(DashboardMeDocument);
      this.authOff = me.via === 'anonymous';
      principal = { ...me, roles: normalizeRoles(me.roles) };
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'GRAPHQL_VALIDATION_FAILED') throw error;
      this.authOff = true;
      principal = { id: 'anonymous', name: 'anonymous', roles: ALL_ROLES, via: 'anonymous' };
    }
    this.principal = principal;
    return principal;
  }
}

/** Role names as the schema spells them (`Alpha` or `ALPHA`), as the dashboard's own: unknown ones dropped. */
export function normalizeRoles(roles: readonly string[]): Role[] {
  return roles.map((r) => r.toUpperCase()).filter((r): r is Role => (ALL_ROLES as readonly string[]).includes(r));
}
