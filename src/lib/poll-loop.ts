/**
 * A background poll: runs `tick` after `intervalMs`, or at once again when the tick says there is
 * more to do; a failed tick is logged and retried after the interval. `stop` waits for a running
 * tick to end. The timer does not keep the process alive.
 */
import type { Logger } from 'pino';

export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private busy = false;
  private woken = false;

  /** @param tick resolves true when it should run again at once (it did a full batch). */
  constructor(
    private readonly tick: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly log: Logger,
    private readonly what: string,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a tick as soon as possible (at once if idle, right after the current one if not). */
  wake(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.woken = true;
      return;
    }
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.busy = true;
      this.woken = false;
      this.running = this.tick()
        .then((again) => {
          this.busy = false;
          this.schedule(again || this.woken ? 0 : this.intervalMs);
        })
        .catch((error: unknown) => {
          this.busy = false;
          this.log.error({ err: error }, `${this.what} failed`);
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
