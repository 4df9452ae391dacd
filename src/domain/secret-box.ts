/**
 * Webhook signing secrets at rest (CALLHOOK_SECRETS_KEY): AES-256-GCM, a fresh 96-bit IV per
 * value, stored as `enc:v1:<iv>:<tag>:<ciphertext>` (base64url). GCM's tag makes a wrong key or an
 * edited value an error rather than a different secret, so callhook never signs with garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const prefix = 'enc:v1:';

/** A value written by a SecretBox (with any key). */
export function isSealed(value: string): boolean {
  return value.startsWith(prefix);
}

/** The 32-byte key from its setting: 64 hex digits, or base64 / base64url of 32 bytes. Null when it is neither. */
export function parseSecretsKey(text: string): Buffer | null {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) return null;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : null;
}

export class SecretOpenError extends Error {}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('a secrets key is 32 bytes');
    this.key = Buffer.from(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${prefix}${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
  }

  /** The plain value; SecretOpenError when it was sealed with another key or altered. */
  open(sealed: string): string {
    const parts = sealed.slice(prefix.length).split(':');
    if (!isSealed(sealed) || parts.length !== 3) throw new SecretOpenError('not a sealed value');
    const [iv, tag, body] = parts.map((part) => Buffer.from(part ?? '', 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== 12 || tag.length !== 16) throw new SecretOpenError('not a sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretOpenError('sealed with another key, or altered');
    }
  }
}
