/**
 * The slice of better-sqlite3 this adapter uses, typed here because the project does not ship
 * @types/better-sqlite3. Loaded through createRequire: the package is CommonJS, and a typed
 * require keeps `any` from leaking into the adapter. If @types/better-sqlite3 is added later,
 * this file can become a plain `import Database from 'better-sqlite3'`.
 */
import { createRequire } from 'node:module';

export type BindValue = string | number | bigint | null | Buffer;
export type BindParams = Record<string, BindValue>;

export interface RunResult {
  changes: number;
}

export interface Statement<P extends BindParams, R> {
  run(params: P): RunResult;
  get(params: P): R | undefined;
  all(params: P): R[];
}

export interface Transaction<A extends unknown[], T> {
  (...args: A): T;
  /** BEGIN IMMEDIATE: takes the write lock up front, so a read-then-write cannot be raced. */
  immediate(...args: A): T;
}

export interface Database {
  readonly open: boolean;
  pragma(source: string, options: { simple: true }): unknown;
  exec(sql: string): void;
  prepare<P extends BindParams = BindParams, R = unknown>(sql: string): Statement<P, R>;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): Transaction<A, T>;
  /** A scalar SQL function written in JavaScript (migrations use one). */
  function(name: string, options: { deterministic: boolean }, fn: (...args: unknown[]) => BindValue): this;
  close(): void;
}

type DatabaseConstructor = new (file: string) => Database;

const require = createRequire(import.meta.url);
const Driver = require('better-sqlite3') as DatabaseConstructor;

export function openDatabase(file: string): Database {
  return new Driver(file);
}

/** better-sqlite3's SqliteError carries SQLite's extended result code as a string. */
export function sqliteCode(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
