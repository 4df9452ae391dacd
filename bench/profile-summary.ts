/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, e.g. CALLHOOK_CHILD_NODE_ARGS="--cpu-prof
 * --cpu-prof-dir=/tmp/prof" npm run bench): self time by category and the functions with the most
 * self time, as shares of the busy (non-idle) time. Usage: tsx bench/profile-summary.ts FILE [TOP].
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** First match wins: a frame's category from its function name and file. */
const categories: Array<[name: string, test: (fn: string, url: string) => boolean]> = [
  ['idle', (fn) => fn === '(idle)'],
  ['garbage collection', (fn) => fn === '(garbage collector)'],
  ['(program: native, not attributed)', (fn) => fn === '(program)'],
  ['SQLite (better-sqlite3)', (_fn, url) => url.includes('better-sqlite3')],
  ['MongoDB driver / bson', (_fn, url) => /node_modules\/(mongodb|bson)\//.test(url)],
  ['undici', (_fn, url) => url.includes('undici')],
  ['amqplib', (_fn, url) => /node_modules\/(amqplib|buffer-more-ints|@acuminous)/.test(url)],
  ['pino (logging)', (_fn, url) => /node_modules\/(pino|sonic-boom|thread-stream)/.test(url)],
  ['ajv (validation)', (_fn, url) => url.includes('ajv') || url.includes('/validation/')],
  ['socket writes (native writev/writeBuffer)', (fn) => /^(writev|writeBuffer|writeUtf8String|writeLatin1String)$/.test(fn)],
  ['JSON', (fn) => fn === 'stringify' || fn === 'parse'],
  ['node internals (streams, net, timers)', (_fn, url) => url.startsWith('node:')],
  ['callhook: storage', (_fn, url) => url.includes('/storage/')],
  ['callhook: intake', (_fn, url) => url.includes('/delivery/intake/') || url.includes('/amqp/')],
  ['callhook: outbox', (_fn, url) => url.includes('/delivery/outbox/')],
  ['callhook: send', (_fn, url) => url.includes('/delivery/send/')],
  ['callhook: domain', (_fn, url) => url.includes('/domain/')],
  ['callhook: other', (_fn, url) => url.includes('/dist/') || url.includes('/src/')],
  ['other native / builtins', (_fn, url) => url === ''],
  ['other', () => true],
];

function main(): void {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: tsx bench/profile-summary.ts FILE [TOP]');
  const top = Number(process.argv[3] ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const category = categories.find(([, test]) => test(frame.functionName, frame.url))?.[0] ?? 'other';
    total += us;
    if (category === 'idle') {
      idle += us;
      continue;
    }
    byCategory.set(category, (byCategory.get(category) ?? 0) + us);
    const where = frame.url === '' ? '' : ` ${frame.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const busy = total - idle;
  const pct = (us: number): string => `${((us / busy) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, busy ${(busy / 1e6).toFixed(1)} s (${((busy / total) * 100).toFixed(0)}%)`);
  console.log('self time by category (share of busy time):');
  for (const [name, us] of [...byCategory].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(us)}  ${name}`);
  console.log(`top ${top} functions by self time:`);
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${name}`);
}

main();
