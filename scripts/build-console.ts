/**
 * Builds the browser console into dist/console/: one script and one stylesheet bundled by
 * esbuild (uPlot included, no other origin ever contacted), file names carrying a content hash so
 * they can be cached for good, and index.html written last, naming them. `npm run build` runs it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
export const consoleOutDir = join(root, 'dist', 'console');

export async function buildConsole(outDir = consoleOutDir): Promise<{ files: string[] }> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: [join(root, 'console', 'src', 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: outDir,
    entryNames: 'app-[hash]',
    assetNames: 'asset-[hash]',
    metafile: true,
    legalComments: 'eof',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (script === undefined || style === undefined) throw new Error(`the console build made ${outputs.join(', ')}`);
  const template = readFileSync(join(root, 'console', 'index.html'), 'utf8');
  const html = template.replace('{{style}}', `./${style}`).replace('{{script}}', `./${script}`);
  writeFileSync(join(outDir, 'index.html'), html);
  return { files: ['index.html', ...outputs] };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { files } = await buildConsole();
  process.stdout.write(`console built: ${files.join(', ')}\n`);
}
