/** What every page gets: where to draw, the account shown, the hash query, a place for cleanup. */
export interface ViewContext {
  accountId: string;
  query: URLSearchParams;
  /** Registers cleanup (timers, charts) for when the page is left. */
  onLeave(fn: () => void): void;
  go(hash: string): void;
}

export type View = (main: HTMLElement, context: ViewContext) => Promise<void>;
