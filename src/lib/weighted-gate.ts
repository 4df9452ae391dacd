/**
 * A semaphore by weight: holders together never take more than `capacity` (bytes of request bodies
 * in flight, say); the rest wait in arrival order. A weight above the capacity is taken as the whole
 * capacity, so one big holder runs alone rather than never.
 */
export class WeightedGate {
  private used = 0;
  private readonly waiting: Array<{ weight: number; resolve: () => void }> = [];

  constructor(private readonly capacity: number) {}

  async run<T>(weight: number, task: () => Promise<T>): Promise<T> {
    const taken = Math.min(Math.max(0, weight), this.capacity);
    if (this.waiting.length > 0 || this.used + taken > this.capacity) {
      await new Promise<void>((resolve) => this.waiting.push({ weight: taken, resolve }));
    } else {
      this.used += taken;
    }
    try {
      return await task();
    } finally {
      this.used -= taken;
      this.admit();
    }
  }

  private admit(): void {
    for (let next = this.waiting[0]; next !== undefined && this.used + next.weight <= this.capacity; next = this.waiting[0]) {
      this.waiting.shift();
      this.used += next.weight;
      next.resolve();
    }
  }
}
