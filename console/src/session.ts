/** The signed-in state: the token, whose it is, and the account being looked at. Session storage only. */
export interface Session {
  token: string;
  /** The token's own account: the top of what it may see. */
  rootId: string;
  rootName: string;
  /** The account the console shows now (the root or one below it). */
  accountId: string;
  /** Names of accounts seen, for the switcher's path. */
  path: Array<{ id: string; name: string }>;
}

const key = 'callhook.console.session';

export const session = {
  get(): Session | undefined {
    const text = sessionStorage.getItem(key);
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as Session;
    } catch {
      return undefined;
    }
  },
  set(value: Session): void {
    sessionStorage.setItem(key, JSON.stringify(value));
  },
  clear(): void {
    sessionStorage.removeItem(key);
  },
};
