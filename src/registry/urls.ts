/** URLs as they may be shown: never with the user name, password or fragment they carry. */

/** The URL as it may be shown: without user name, password or fragment. */
export function redactUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.hash = '';
    return u.href;
  } catch {
    return '(invalid URL)';
  }
}
