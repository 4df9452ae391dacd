/** The messages between the SQLite adapter and its writer thread (writer.ts ↔ writer-thread.ts). */
import type { DeliveryStore, InstanceStore } from '../store.js';
import type { EncodedDelivery } from './deliveries.js';
import type { EncodedOutcome } from './outcomes.js';

export interface WriterSettings {
  file: string;
  synchronous: 'normal' | 'full';
}

export type WriterRequest =
  | { id: number; op: 'insertDeliveries'; args: [deliveries: readonly EncodedDelivery[]] }
  | { id: number; op: 'recordOutcomes'; args: [entries: readonly EncodedOutcome[]] }
  | { id: number; op: 'claimDueRows'; args: Parameters<DeliveryStore['claimDueDeliveries']> }
  | { id: number; op: 'heartbeat'; args: Parameters<InstanceStore['heartbeat']> }
  | { id: number; op: 'takeOverStaleLeases'; args: Parameters<InstanceStore['takeOverStaleLeases']> }
  | { id: number; op: 'close'; args: [] };

/** A driver error crosses the thread boundary as its name, message and SQLite code. */
export type WriterReply =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: { name: string; message: string; code: string | undefined } };
