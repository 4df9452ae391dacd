/** Finds keys written twice in one JSON object (JSON.parse keeps the last silently). */
export function duplicateKeys(text: string): string[] {
  const stack: Array<Set<string> | null> = [];
  const duplicates: string[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const literal = text.slice(i, j + 1);
      const keys = stack.at(-1);
      // A string followed by ':' inside an object is a key.
      if (keys !== undefined && keys !== null && /^\s*:/.test(text.slice(j + 1, j + 4))) {
        const key = JSON.parse(literal) as string;
        if (keys.has(key)) duplicates.push(key);
        keys.add(key);
      }
      i = j + 1;
      continue;
    }
    if (ch === '{') stack.push(new Set());
    else if (ch === '[') stack.push(null);
    else if (ch === '}' || ch === ']') stack.pop();
    i += 1;
  }
  return duplicates;
}
