/**
 * Limits checked on JSON text before it is parsed: its size in bytes and how deeply it nests.
 * The depth is found by a linear scan of the text (brackets outside strings), so a document nested
 * thousands of levels deep is refused without JSON.parse or any recursive walk ever seeing it.
 */
import type { ValidationDetails } from '../errors.js';

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
}

export type JsonLimitProblem = { kind: 'size'; bytes: number; limit: number } | { kind: 'depth'; limit: number };

/** The deepest nesting of objects and arrays in `text`, stopping as soon as it passes `stopAt`. */
export function nestingDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) {
        i += 1;
      } // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (code === 0x7d || code === 0x5d) {
      depth -= 1;
    }
  }
  return deepest;
}

/**
 * Whether `text` holds at most `limit` opening brackets (those inside strings counted too): if so,
 * nothing in it can nest deeper than that. Found with indexOf, which runs natively, many times
 * faster than the character scan, which a typical event then never needs.
 */
function fewBrackets(text: string, limit: number): boolean {
  let count = 0;
  for (const bracket of ['{', '[']) {
    for (let at = text.indexOf(bracket); at !== -1; at = text.indexOf(bracket, at + 1)) {
      count += 1;
      if (count > limit) return false;
    }
  }
  return true;
}

/** Null when `text` (of `bytes` bytes) is within the limits; else what it breaks. */
export function jsonLimitProblem(text: string, bytes: number, limits: JsonLimits): JsonLimitProblem | null {
  if (bytes > limits.maxBytes) return { kind: 'size', bytes, limit: limits.maxBytes };
  if (fewBrackets(text, limits.maxDepth)) return null;
  if (nestingDepth(text, limits.maxDepth) > limits.maxDepth) return { kind: 'depth', limit: limits.maxDepth };
  return null;
}

export function describeJsonLimitProblem(problem: JsonLimitProblem): string {
  return problem.kind === 'size'
    ? `${problem.bytes} bytes is more than the ${problem.limit} allowed`
    : `nested more than ${problem.limit} levels deep`;
}

/**
 * A stored document's budget (hooks, accounts): its size as JSON and how deep it nests. Problems
 * are reported on the property to blame (the largest, or the one nesting too deep), in Crossbar's
 * validation shape.
 */
export function documentProblems(doc: Readonly<Record<string, unknown>>, limits: JsonLimits): ValidationDetails {
  const text = JSON.stringify(doc);
  const bytes = Buffer.byteLength(text);
  const problems: ValidationDetails = {};
  if (bytes > limits.maxBytes) {
    const [largest, size] = Object.entries(doc)
      .map(([key, value]) => [key, Buffer.byteLength(JSON.stringify(value) ?? '')] as const)
      .reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0] as const);
    problems[largest] = {
      maxLength: {
        message: `the document would be ${bytes} bytes, more than the ${limits.maxBytes} allowed (this property takes ${size})`,
        target: limits.maxBytes,
      },
    };
  }
  for (const [key, value] of Object.entries(doc)) {
    // The document itself is the first level.
    if (typeof value === 'object' && value !== null && nestingDepth(JSON.stringify(value), limits.maxDepth) + 1 > limits.maxDepth) {
      problems[key] = {
        ...problems[key],
        maxDepth: { message: `nested more than ${limits.maxDepth} levels deep`, target: limits.maxDepth },
      };
    }
  }
  return problems;
}
