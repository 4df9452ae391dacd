/**
 * The settings table, read from `schemas/config.json`: per property its environment variable, how
 * to read the variable's text, its default and its meaning. Loading, `--help` and the README's
 * table all come from here, so a setting cannot be documented one way and read another.
 */
import { loadSchema } from '../schemas.js';
import type { ConfigSchema } from './config-schema.js';

type Kind = 'int' | 'string' | 'list' | 'ints' | 'bool';

interface PropertySchema {
  'x-env': string;
  description: string;
  type?: string;
  default?: unknown;
  items?: { type?: string };
}

export interface Setting {
  key: keyof ConfigSchema;
  env: string;
  kind: Kind;
  default: unknown;
  description: string;
  /** The variable's text → the value the schema then checks. */
  read(raw: string): unknown;
}

export const configSchema = loadSchema('config');

function readInt(raw: string): unknown {
  // Keep a non-integer string as is so the schema reports it with the variable's value.
  return /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
}

function readList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

const readers: Readonly<Record<Kind, (raw: string) => unknown>> = {
  string: (raw) => raw,
  int: readInt,
  list: readList,
  ints: (raw) => readList(raw).map(readInt),
  bool: (raw) => ({ true: true, false: false, '1': true, '0': false })[raw.trim().toLowerCase()] ?? raw,
};

function kindOf(property: PropertySchema): Kind {
  if (property.type === 'integer') return 'int';
  if (property.type === 'boolean') return 'bool';
  if (property.type === 'array') return property.items?.type === 'integer' ? 'ints' : 'list';
  return 'string';
}

export const configSettings: readonly Setting[] = Object.entries(configSchema['properties'] as Record<string, PropertySchema>).map(
  ([key, property]) => {
    const kind = kindOf(property);
    return {
      key: key as keyof ConfigSchema,
      env: property['x-env'],
      kind,
      default: property.default,
      description: property.description,
      read: readers[kind],
    };
  },
);

/** How a default reads in an environment variable (`60,300,900,3600`, not a JSON array). */
export function defaultText(setting: Setting): string {
  if (setting.default === undefined) return 'unset';
  return Array.isArray(setting.default) ? setting.default.join(',') : String(setting.default);
}

/** `--help`: every setting, its default and its meaning. */
export function helpText(): string {
  const width = Math.max(...configSettings.map((s) => s.env.length));
  const lines = configSettings.map((s) => `  ${s.env.padEnd(width)}  ${defaultText(s).padEnd(18)}  ${s.description.replace(/`/g, '')}`);
  return [
    'callhook: Kazoo call events to HTTP webhooks, with a Crossbar-compatible webhooks API.',
    '',
    'Usage: node dist/main.js   (or: npm start)',
    '',
    'Every setting is an environment variable (name, default, meaning):',
    ...lines,
    `  ${'CALLHOOK_MAX_HEAP_MB'.padEnd(width)}  ${'128'.padEnd(18)}  V8 old-space cap used by npm start and the Docker image`,
    '',
  ].join('\n');
}
