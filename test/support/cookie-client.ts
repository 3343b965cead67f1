/** A response of {@link CookieClient}, read whole. */
export interface CookieResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON when its content type says JSON, its text otherwise. */
  readonly body: any;
  /** The response's Set-Cookie headers, as sent. */
  readonly setCookie: string[];
}

/**
 * A browser's part in a cookie session, as small as the tests need: one client per device, which
 * keeps the cookies its server set (name=value; an empty value, Max-Age=0 or a past Expires
 * removes one) and sends them back on every request. Real fetch over a real port; the cookie's own
 * attributes (path, domain, Secure) are not honoured, since every test server lives at one origin
 * on plain HTTP.
 */
export class CookieClient {
  readonly #cookies = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** A request with the kept cookies (and `json` as its body, if given); the answer's Set-Cookie headers update them. */
  async request(method: string, path: string, json?: unknown): Promise<CookieResponse> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      redirect: 'manual',
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const setCookie = response.headers.getSetCookie();
    for (const header of setCookie) this.#keep(header);
    const text = await response.text();
    // JSON when the server says so; anything else (an error page) as its text.
    const isJson = response.headers.get('content-type')?.startsWith('application/json') === true;
    return { status: response.status, headers: response.headers, text, body: isJson ? (JSON.parse(text) as unknown) : text, setCookie };
  }

  get(path: string): Promise<CookieResponse> {
    return this.request('GET', path);
  }

  post(path: string, json: unknown = {}): Promise<CookieResponse> {
    return this.request('POST', path, json);
  }

  /** The value of a kept cookie. */
  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** The cookies kept now, by name (a copy: a snapshot of the jar). */
  cookies(): ReadonlyMap<string, string> {
    return new Map(this.#cookies);
  }

  /** Puts a cookie in the jar as if a server had set it (a stolen or replayed one). */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  /** Forgets every cookie (a fresh browser). */
  clear(): void {
    this.#cookies.clear();
  }

  #keep(header: string): void {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const expired =
      value === '' ||
      attributes.some((attribute) => {
        const [key = '', setting = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(setting) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(setting) <= Date.now();
        return false;
      });
    if (expired) this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }
}
