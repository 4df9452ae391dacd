/**
 * Summarises an allocation profile written by bench/allocation-sampler.ts: bytes allocated in the
 * period, the functions that allocated most themselves, and callhook's functions by what they and
 * their callees allocated. Usage: tsx bench/allocation-summary.ts FILE [TOP].
 */
import { readFileSync } from 'node:fs';

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

function label(node: AllocationNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${lineNumber + 1}`;
  return `${functionName || '(anonymous)'}${where}`;
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: tsx bench/allocation-summary.ts FILE [TOP]');
  const top = Number(process.argv[3] ?? 25);
  const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: AllocationNode };
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  // Iterative walk: a profile's tree is as deep as the deepest stack.
  const stack: Array<{ node: AllocationNode; path: readonly string[] }> = [{ node: head, path: [] }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const name = label(next.node);
    const path = [...next.path, name];
    for (const child of next.node.children) stack.push({ node: child, path });
    const bytes = next.node.selfSize;
    if (bytes === 0) continue;
    total += bytes;
    self.set(name, (self.get(name) ?? 0) + bytes);
    for (const frame of new Set(path)) if (/ (dist|src)\//.test(frame)) inclusive.set(frame, (inclusive.get(frame) ?? 0) + bytes);
  }
  const pct = (bytes: number): string => `${((bytes / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${(total / 1e6).toFixed(1)} MB allocated (sampled)`);
  console.log(`top ${top} functions by what they allocated themselves:`);
  for (const [name, bytes] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(bytes)}  ${name}`);
  console.log(`top ${top} of callhook's functions by what they and their callees allocated:`);
  for (const [name, bytes] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(bytes)}  ${name}`);
}

main();
