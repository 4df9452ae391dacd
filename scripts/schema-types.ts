/**
 * TypeScript types derived from `schemas/*.json`, so the schema stays the one source of truth:
 * `npm run schema:types` writes them, and test/schema-types.test.ts fails when a committed file
 * differs from what the schema gives now (a field added to a schema without regenerating).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { format, resolveConfig } from 'prettier';

interface Target {
  schema: string;
  out: string;
  typeName: string;
  /** Also export the schema's property names and `default` values (what code applies without ajv). */
  withDefaults: boolean;
}

export const targets: readonly Target[] = [
  { schema: 'webhooks', out: 'src/domain/generated/webhook-schema.ts', typeName: 'WebhookSchema', withDefaults: true },
  { schema: 'config', out: 'src/config/config-schema.ts', typeName: 'ConfigSchema', withDefaults: false },
];

const root = new URL('../', import.meta.url);

function readSchema(name: string): JSONSchema & { properties: Record<string, JSONSchema> } {
  return JSON.parse(readFileSync(new URL(`schemas/${name}.json`, root), 'utf8')) as JSONSchema & {
    properties: Record<string, JSONSchema>;
  };
}

export async function render(target: Target): Promise<string> {
  const schema = readSchema(target.schema);
  // The type is named by the target, not by the schema's title.
  const typed = await compile({ ...schema, title: target.typeName }, target.typeName, {
    bannerComment: '',
    additionalProperties: false,
    ignoreMinAndMaxItems: true,
    strictIndexSignatures: true,
    unknownAny: true,
    format: false,
  });
  const parts = [`/* Generated from schemas/${target.schema}.json by \`npm run schema:types\`; do not edit. */`, '', typed.trim()];
  if (target.withDefaults) {
    const defaults = Object.fromEntries(
      Object.entries(schema.properties).flatMap(([key, property]) => (property.default === undefined ? [] : [[key, property.default]])),
    );
    parts.push(
      '',
      `/** Every property the schema names, in its order. */`,
      `export const ${lowerFirst(target.typeName)}Fields = ${JSON.stringify(Object.keys(schema.properties))} as const;`,
      '',
      `/** The schema's \`default\` values. */`,
      `export const ${lowerFirst(target.typeName)}Defaults = ${JSON.stringify(defaults)} as const;`,
    );
  }
  const options = (await resolveConfig(new URL(target.out, root).pathname)) ?? {};
  return format(`${parts.join('\n')}\n`, { ...options, parser: 'typescript' });
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

export function committed(target: Target): string {
  return readFileSync(new URL(target.out, root), 'utf8');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const target of targets) {
    writeFileSync(new URL(target.out, root), await render(target));
    process.stdout.write(`wrote ${target.out}\n`);
  }
}
