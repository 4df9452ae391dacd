/**
 * The consumer's connection state as /health reports it, plus a way for tests (and start-up
 * code that chooses to) to wait for 'up' without polling.
 */
import { EventEmitter } from 'node:events';

export type AmqpState = 'disabled' | 'connecting' | 'up' | 'down' | 'stopped';

export class StateTracker {
  private current: AmqpState = 'disabled';
  private detail: string | undefined = 'not started';
  private readonly changes = new EventEmitter();

  get state(): AmqpState {
    return this.current;
  }

  get stateDetail(): string | undefined {
    return this.detail;
  }

  set(state: AmqpState, detail?: string): void {
    this.current = state;
    this.detail = detail;
    this.changes.emit('change', state);
  }

  waitUntilUp(timeoutMs: number): Promise<void> {
    if (this.current === 'up') return Promise.resolve();
    if (this.current === 'stopped') return Promise.reject(new Error('AMQP consumer is stopped'));
    return new Promise<void>((resolve, reject) => {
      const onChange = (state: AmqpState): void => {
        if (state === 'up') finish();
        else if (state === 'stopped') finish(new Error('AMQP consumer stopped before it was up'));
      };
      const timer = setTimeout(() => {
        finish(new Error(`AMQP not up after ${timeoutMs} ms (${this.current}${this.detail ? `: ${this.detail}` : ''})`));
      }, timeoutMs);
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.changes.off('change', onChange);
        if (error) reject(error);
        else resolve();
      };
      this.changes.on('change', onChange);
    });
  }
}
