/**
 * The parts of a URL that may hold credentials, found without a URL parser so that a value the
 * parser refuses (the very value an error line is about) is handled the same way. User-info ends
 * at the last `@`: an unencoded `@` or `/` in a password must not push the rest into the "host".
 */
function split(url: string): { prefix: string; userinfo: string | undefined; host: string; query: string | undefined } | undefined {
  const scheme = url.indexOf('://');
  if (scheme < 0) return undefined;
  const at = url.lastIndexOf('@');
  const authorityStart = scheme + 3;
  const userinfo = at >= authorityStart ? url.slice(authorityStart, at) : undefined;
  const rest = url.slice(userinfo === undefined ? authorityStart : at + 1);
  const queryStart = rest.search(/[?#]/);
  return {
    prefix: url.slice(0, authorityStart),
    userinfo,
    host: queryStart < 0 ? rest : rest.slice(0, queryStart),
    query: queryStart < 0 ? undefined : rest.slice(queryStart + 1),
  };
}

/**
 * The URL as a log or error line may show it: the password replaced by `***` (user-info without
 * a colon may itself be a password, so all of it), and the query, where drivers such as ioredis
 * also accept a password, replaced by `***`.
 */
export function withoutCredentials(url: string): string {
  const parts = split(url);
  if (parts === undefined) return url.includes('@') ? '***' : url;
  const { prefix, userinfo, host, query } = parts;
  const colon = userinfo?.indexOf(':') ?? -1;
  const user = userinfo === undefined ? '' : colon >= 0 ? `${userinfo.slice(0, colon)}:***@` : '***@';
  return `${prefix}${user}${host}${query === undefined || query === '' ? '' : '?***'}`;
}

/**
 * A webhook receiver's URL as a log or error line may show it: as `withoutCredentials` says, and
 * its path as `/***` too, since a hook's path may be its secret (Slack, Discord, Teams).
 */
export function withoutPathOrCredentials(url: string): string {
  const shown = withoutCredentials(url);
  const parts = split(shown);
  if (parts === undefined) return shown;
  const slash = parts.host.indexOf('/');
  if (slash < 0 || slash === parts.host.length - 1) return shown;
  const at = shown.lastIndexOf('@');
  const hostStart = at >= parts.prefix.length ? at + 1 : parts.prefix.length;
  return `${shown.slice(0, hostStart)}${parts.host.slice(0, slash)}/***${parts.query === undefined ? '' : '?***'}`;
}

/** Every secret a URL carries, raw and percent-decoded: its password (or lone user-info) and query values. */
export function credentialsOf(url: string): string[] {
  const parts = split(url);
  if (parts === undefined) return [];
  const found: string[] = [];
  if (parts.userinfo !== undefined) {
    const colon = parts.userinfo.indexOf(':');
    found.push(colon >= 0 ? parts.userinfo.slice(colon + 1) : parts.userinfo);
  }
  for (const pair of (parts.query ?? '').split('&')) {
    const equals = pair.indexOf('=');
    if (equals >= 0) found.push(pair.slice(equals + 1));
  }
  return found.flatMap((value) => {
    try {
      const decoded = decodeURIComponent(value);
      return decoded === value ? [value] : [value, decoded];
    } catch {
      return [value];
    }
  });
}

/**
 * A webhook receiver's secrets: its credentials, and its path when long enough to be one (a
 * Slack hook's `/services/T…/B…/…`); a short path such as `/hooks` is no secret, and scrubbing it
 * would only mangle lines that name routes.
 */
export function receiverSecretsOf(url: string): string[] {
  const parts = split(url);
  if (parts === undefined) return [];
  const slash = parts.host.indexOf('/');
  const path = slash < 0 ? '' : parts.host.slice(slash);
  return [...credentialsOf(url), ...(path.length >= SECRET_PATH_MIN ? [path] : [])];
}

const SECRET_PATH_MIN = 16;
