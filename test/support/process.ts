/**
 * callhook as a real child process (`node --import tsx src/main.ts`), for tests that must kill it
 * with SIGKILL mid-work. Its port comes from its own log line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildApp {
  process: ChildProcess;
  baseUrl: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/** `source` runs src/main.ts through tsx (tests); `built` runs dist/main.js (benchmarks). */
export async function spawnApp(
  env: Record<string, string>,
  entry: 'source' | 'built' = 'source',
  nodeArgs: readonly string[] = [],
): Promise<ChildApp> {
  // CALLHOOK_CHILD_NODE_ARGS passes flags such as --cpu-prof to the child (profiling a benchmark).
  const extra = [...(process.env['CALLHOOK_CHILD_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== ''), ...nodeArgs];
  // `built` runs as `npm start` does, heap cap included.
  const heap = `--max-old-space-size=${process.env['CALLHOOK_MAX_HEAP_MB'] ?? '128'}`;
  const args = [...extra, ...(entry === 'source' ? ['--import', 'tsx', 'src/main.ts'] : [heap, 'dist/main.js'])];
  // Not a callhook setting: callhook refuses unknown CALLHOOK_* variables.
  const { CALLHOOK_CHILD_NODE_ARGS: _nodeArgs, ...inherited } = process.env;
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...inherited, PORT: '0', CALLHOOK_HOST: '127.0.0.1', CALLHOOK_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`callhook did not start:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /"port":(\d+)[^\n]*"msg":"callhook listening"/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`callhook exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    process: child,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    kill(signal = 'SIGKILL') {
      return new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve(child.exitCode);
          return;
        }
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      });
    },
  };
}
