/**
 * Group commit: calls that arrive while a write is being prepared, or while the previous write
 * is still running, are written together, so the store commits (and fsyncs) once per batch rather
 * than once per call, and one write at a time. With a store that answers at once this is one
 * batch per turn of the event loop; with one that takes time (a writer thread, a server) batches
 * grow with the load instead of piling up as many small writes. A batch that fails is retried
 * item by item, so one bad item fails only its own caller.
 */
export class Batcher<I, O> {
  private pending: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;
  private writing = false;

  /** The first call of a batch waits for company until the current turn of the event loop ends. */
  constructor(
    private readonly write: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.writing) return;
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) this.schedule();
    });
  }

  private schedule(): void {
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.writing) return;
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.writing = true;
    this.write(batch.map((entry) => entry.item))
      .then(
        (results) => batch.forEach((entry, index) => entry.resolve(results[index] as O)),
        () => {
          for (const entry of batch) {
            this.write([entry.item]).then(
              (results) => entry.resolve(results[0] as O),
              (error: unknown) => entry.reject(error),
            );
          }
        },
      )
      .finally(() => {
        this.writing = false;
        // What came in meanwhile goes next: at once when a whole batch waits, else after company.
        if (this.pending.length >= this.maxBatch) this.flush();
        else if (this.pending.length > 0 && !this.scheduled) this.schedule();
      });
  }
}
