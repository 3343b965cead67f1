/** A response of {@link CookieClient}, read whole. */
export interface CookieResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

/**
 * One browser, as far as cookies go: it keeps what `Set-Cookie` says (a cookie cleared by an empty
 * value, `Max-Age=0` or an `Expires` in the past goes) and sends it back on every request to the
 * same origin. Paths, domains and `Secure` are not modelled: every app under test sets `/`,
 * 127.0.0.1 and plain HTTP.
 */
export class CookieClient {
  readonly #jar = new Map<string, string>();

  constructor(readonly baseUrl: string) {}

  /** The cookies held now, by name. */
  cookies(): ReadonlyMap<string, string> {
    return new Map(this.#jar);
  }

  /** Forgets every cookie (a fresh browser). */
  clear(): void {
    this.#jar.clear();
  }

  async request(method: string, path: string, json?: unknown): Promise<CookieResponse> {
    const headers: Record<string, string> = {};
    if (this.#jar.size > 0) headers.cookie = [...this.#jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      redirect: 'manual',
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    for (const line of response.headers.getSetCookie()) this.#keep(line);
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  get(path: string): Promise<CookieResponse> {
    return this.request('GET', path);
  }

  post(path: string, json: unknown = {}): Promise<CookieResponse> {
    return this.request('POST', path, json);
  }

  #keep(line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    if (equals <= 0) return;
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    const cleared =
      value === '' ||
      attributes.some((attribute) => {
        const [key = '', setting = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(setting) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(setting) <= Date.now();
        return false;
      });
    if (cleared) this.#jar.delete(name);
    else this.#jar.set(name, value);
  }
}
