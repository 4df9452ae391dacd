/** Says yes once per key per window: a log line per cause, not per event. Bounded in keys. */
export class OncePer {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  due(key: string, now = Date.now()): boolean {
    const before = this.last.get(key);
    if (before !== undefined && now - before < this.windowMs) return false;
    if (this.last.size >= this.maxKeys) this.last.clear();
    this.last.set(key, now);
    return true;
  }
}
