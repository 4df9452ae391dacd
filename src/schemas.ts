/**
 * Loads JSON schemas from the top-level `schemas/` folder. The path is resolved from this file,
 * which sits at the same depth in `src/` (tsx) and `dist/` (built), so both find the folder.
 */
import { readFileSync } from 'node:fs';

const schemaDir = new URL('../schemas/', import.meta.url);

export function loadSchema(name: string): Record<string, unknown> {
  const text = readFileSync(new URL(`${name}.json`, schemaDir), 'utf8');
  return JSON.parse(text) as Record<string, unknown>;
}
