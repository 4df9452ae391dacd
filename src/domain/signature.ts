/**
 * Request signing (pure; the secret and the clock come in). Two schemes at once, so receivers can
 * use either:
 * - Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` = space-separated
 *   `v1,<base64 HMAC-SHA256(id.timestamp.body)>`, keyed with the secret's base64 part decoded, one
 *   signature per live secret (rotation);
 * - the CRM document's `X-Webhook-Signature: sha256=<hex HMAC-SHA256(body)>`, keyed with the
 *   secret string exactly as the user holds it (`whsec_…`), as that document's receiver code does,
 *   with the newest secret.
 * For GET the signed body is the query string.
 */
import { createHmac } from 'node:crypto';

const secretPattern = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

/** A `whsec_` secret whose key is 24 to 64 bytes, as Standard Webhooks asks. */
export function isValidSecret(secret: string): boolean {
  const match = secretPattern.exec(secret);
  if (match?.[1] === undefined) return false;
  const bytes = Buffer.from(match[1], 'base64');
  return bytes.length >= 24 && bytes.length <= 64 && bytes.toString('base64') === match[1];
}

export function formatSecret(keyBytes: Uint8Array): string {
  return `whsec_${Buffer.from(keyBytes).toString('base64')}`;
}

/** What GET and listings show of a secret: enough to tell two apart, never enough to use. */
export function maskSecret(secret: string): string {
  return `whsec_…${secret.slice(-4)}`;
}

export function isMaskedSecret(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('whsec_…');
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

export interface SignatureInput {
  id: string;
  timestampSeconds: number;
  body: string;
  /** Live secrets, newest first. */
  secrets: readonly string[];
}

export function signatureHeaders(input: SignatureInput): Record<string, string> {
  const newest = input.secrets[0];
  if (newest === undefined) return {};
  const signed = `${input.id}.${input.timestampSeconds}.${input.body}`;
  const signatures = input.secrets.map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed).digest('base64')}`);
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(input.timestampSeconds),
    'webhook-signature': signatures.join(' '),
    'X-Webhook-Signature': `sha256=${createHmac('sha256', newest).update(input.body).digest('hex')}`,
  };
}

/** Header names whose values the attempts log masks. */
export const signatureHeaderNames: ReadonlySet<string> = new Set(['webhook-signature', 'x-webhook-signature']);
