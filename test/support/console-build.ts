/** Builds the console once per test process, into dist/console where the app serves it from. */
import { buildConsole } from '../../scripts/build-console.js';

let built: Promise<unknown> | undefined;

export function ensureConsoleBuilt(): Promise<unknown> {
  built ??= buildConsole();
  return built;
}
