/** Parsing of `WWW-Authenticate` challenges (RFC 9110 §11.6.1) and `Link` headers (RFC 8288). */

export interface Challenge {
  /** Lower-cased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameters with lower-cased names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

/**
 * Every challenge of a `WWW-Authenticate` value. Tolerates several challenges in one value
 * (as `Headers.get` joins repeated headers with `, `), quoted strings with escapes and commas,
 * and token68 values.
 */
export function parseChallenges(header: string | null): Challenge[] {
  if (!header) return [];
  const challenges: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skip = (chars: string): void => {
    while (i < n && chars.includes(header[i]!)) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header[i]!)) i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skip(' \t,');
    if (i >= n) break;
    const start = i;
    const word = token();
    if (word === '') {
      i++; // an unexpected character: skip it
      continue;
    }
    skip(' \t');
    if (header[i] === '=' && current) {
      // A parameter of the current challenge (or a token68 ending in '=').
      i++;
      skip(' \t');
      let value: string;
      if (header[i] === '"') {
        i++;
        value = '';
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++; // closing quote
      } else {
        const begin = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ' && header[i] !== '\t') i++;
        value = header.slice(begin, i);
      }
      current.params[word.toLowerCase()] = value;
      continue;
    }
    // A new challenge starts with its scheme.
    current = { scheme: header.slice(start, start + word.length).toLowerCase(), params: {} };
    challenges.push(current);
  }
  return challenges;
}

/**
 * The target of the `rel="next"` link of a `Link` header, resolved against `base`; undefined
 * when there is none.
 */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  const pattern = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
  for (const match of header.matchAll(pattern)) {
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return new URL(match[1]!, base).href;
  }
  return undefined;
}
