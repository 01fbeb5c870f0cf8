/**
 * Requests that failed without an HTTP answer: which ones another try cannot fix, and how they
 * are described — the cause chain in one line, never with credentials, and what to do.
 */

export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    const text =
      code && !current.message.includes(code) ? `${current.message} (${code})` : current.message;
    if (!parts.includes(text)) parts.push(text);
    current = current.cause;
  }
  const text = parts.length > 0 ? parts.join(': ') : String(error);
  // Some messages quote the URL: never with its credentials.
  return text.replace(/\/\/[^/\s@]+@/g, '//');
}

/** The codes of every error in a cause chain. */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

const CERTIFICATE_ERROR = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT/;

/** Errors that another try cannot fix: certificate problems and bad URLs. */
export function isPermanent(error: unknown): boolean {
  // fetch reports network failures as TypeError('fetch failed', { cause }); any other
  // TypeError is a request that cannot be made at all (a bad URL, credentials in it).
  if (error instanceof TypeError && error.cause === undefined) return true;
  return errorCodes(error).some(
    (c) =>
      CERTIFICATE_ERROR.test(c) ||
      c.startsWith('ERR_SSL_') ||
      c === 'EPROTO' ||
      c === 'ERR_INVALID_URL' ||
      c === 'ENOTFOUND',
  );
}

export function hintFor(error: unknown): string {
  const codes = errorCodes(error);
  if (codes.some((c) => CERTIFICATE_ERROR.test(c))) {
    return ". The server's certificate is not trusted: give its CA in 'ca-certificates', or, for a plain-HTTP registry, list it in 'insecure-registries'.";
  }
  if (codes.some((c) => c === 'EPROTO' || c.startsWith('ERR_SSL_'))) {
    return ". The server does not speak TLS here: if it is a plain-HTTP registry, list it in 'insecure-registries'.";
  }
  if (codes.includes('ENOTFOUND')) return '. The host name does not resolve: check it.';
  if (codes.includes('ECONNREFUSED')) return '. Nothing listens there: check the host and port.';
  if (codes.some((c) => c.includes('TIMEOUT'))) return '. The server did not answer in time.';
  return '';
}
