/**
 * A browser's part in a cookie session, as small as the tests need: one client per device, which
 * keeps the cookies its server set (name=value; Max-Age=0 or a past Expires removes one) and sends
 * them back on every request. Real fetch over a real port; the cookie's own attributes (path,
 * domain) are not honoured, since every test server lives at one origin.
 */
export class CookieClient {
  readonly #cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** A request with the kept cookies; the answer's Set-Cookie headers update them. */
  async request(method: string, path: string): Promise<{ status: number; body: unknown; setCookie: string[] }> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: cookie === '' ? {} : { cookie } });
    const setCookie = response.headers.getSetCookie();
    for (const header of setCookie) this.#keep(header);
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown), setCookie };
  }

  /** The value of a kept cookie. */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Puts a cookie in the jar as if a server had set it (a stolen or replayed one). */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  #keep(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const expired = attributes.some((attribute) => {
      const [key = '', value = ''] = attribute.split('=');
      if (key.toLowerCase() === 'max-age') return Number(value) <= 0;
      if (key.toLowerCase() === 'expires') return Date.parse(value) <= Date.now();
      return false;
    });
    if (expired) this.#cookies.delete(name);
    else this.#cookies.set(name, pair.slice(eq + 1));
  }
}
