import { withoutCredentials, withoutPathOrCredentials } from './url-credentials.js';

/** The environment a setting is read from. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * One environment variable of the service: its name, default, meaning and rule, in one place.
 * `loadConfig` reads it and `session-api --help` lists it, so the two cannot drift apart.
 */
export interface Setting<T> {
  readonly name: string;
  /** The default as people read it; `undefined` when the variable is unset by default. */
  readonly defaultText: string | undefined;
  /** What it does, for `--help`. */
  readonly meaning: string;
  /** What a value may be, as the error line says it. */
  readonly allowed: string;
  /** Reads and checks it; throws a `ConfigError` naming it. */
  read(env: Env): T;
}

/** A setting that is wrong: names the variable and what it allows. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** `shown` is the value as the line may show it: secrets are redacted before they get here. */
  constructor(
    readonly variable: string,
    allowed: string,
    shown: string,
  ) {
    super(`${variable}=${JSON.stringify(shown)} is not valid: ${allowed}`);
  }
}

/** The value of `name`, trimmed; an empty value counts as unset. */
export function rawValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

interface Declaration<T> {
  readonly name: string;
  readonly meaning: string;
  readonly allowed: string;
  readonly fallback: T;
  readonly defaultText?: string | undefined;
  /** How the error line shows a bad value (default: as it is). */
  readonly show?: (raw: string) => string;
  /** The value, or `undefined` when `raw` is not allowed. */
  readonly parse: (raw: string) => T | undefined;
}

function declare<T>(declaration: Declaration<T>): Setting<T> {
  const { name, meaning, allowed, fallback, parse, show = (raw) => raw } = declaration;
  return {
    name,
    meaning,
    allowed,
    defaultText: 'defaultText' in declaration ? declaration.defaultText : fallback === undefined ? undefined : String(fallback),
    read(env) {
      const raw = rawValue(env, name);
      if (raw === undefined) return fallback;
      const value = parse(raw);
      if (value === undefined) throw new ConfigError(name, allowed, show(raw));
      return value;
    },
  };
}

/** A whole number in `[min, max]`: no sign, no decimals, no exponent, so nothing is rounded. */
export function wholeNumber(
  name: string,
  range: { readonly fallback: number; readonly min: number; readonly max: number; readonly unit?: string },
  meaning: string,
): Setting<number> {
  const unit = range.unit === undefined ? '' : ` ${range.unit}`;
  return declare({
    name,
    meaning,
    fallback: range.fallback,
    allowed: `a whole number${unit === '' ? '' : ` of${unit}`} from ${range.min} to ${range.max}`,
    parse: (raw) => (/^[0-9]+$/.test(raw) && Number(raw) >= range.min && Number(raw) <= range.max ? Number(raw) : undefined),
  });
}

/** A duration in whole milliseconds in `[min, max]`. */
export function milliseconds(
  name: string,
  range: { readonly fallback: number; readonly min: number; readonly max: number },
  meaning: string,
): Setting<number> {
  return wholeNumber(name, { ...range, unit: 'milliseconds' }, meaning);
}

const HOUR_MS = 3_600_000;
/** Session lifetimes: at least a second once rounded to milliseconds, at most a (leap) year. */
const MIN_LIFETIME_MS = 1_000;
const MAX_LIFETIME_HOURS = 24 * 366;

/** A lifetime (of a session, of the events kept) given in hours (decimals allowed), read as milliseconds. */
export function lifetimeHours(name: string, fallbackHours: number, meaning: string): Setting<number> {
  return declare({
    name,
    meaning,
    fallback: fallbackHours * HOUR_MS,
    defaultText: String(fallbackHours),
    allowed: `a number of hours (decimals allowed) of at least 1 second (0.0003) and at most ${MAX_LIFETIME_HOURS}`,
    parse: (raw) => {
      if (!/^[0-9]*\.?[0-9]+$/.test(raw) || Number(raw) > MAX_LIFETIME_HOURS) return undefined;
      // The check is on the rounded value: 0.0000001 h is 0.36 ms, which would be born expired.
      const ms = Math.round(Number(raw) * HOUR_MS);
      return ms >= MIN_LIFETIME_MS ? ms : undefined;
    },
  });
}

/** One of a few words. */
export function oneOf<const T extends string, F extends T | undefined>(
  name: string,
  values: readonly T[],
  fallback: F,
  meaning: string,
): Setting<T | F> {
  return declare<T | F>({
    name,
    meaning,
    fallback,
    allowed: `one of ${values.join(', ')}`,
    parse: (raw) => ((values as readonly string[]).includes(raw) ? (raw as T) : undefined),
  });
}

/** `true` or `false`. */
export function flag(name: string, fallback: boolean, meaning: string): Setting<boolean> {
  return declare({
    name,
    meaning,
    fallback,
    allowed: 'true or false',
    parse: (raw) => (raw === 'true' ? true : raw === 'false' ? false : undefined),
  });
}

/**
 * Free text matching `pattern` (and `accepts`, for what a pattern cannot say); `secret` keeps the
 * value out of the error line.
 */
export function text<F extends string | undefined>(
  name: string,
  rule: { readonly fallback: F; readonly pattern: RegExp; readonly allowed: string; readonly accepts?: (raw: string) => boolean; readonly secret?: boolean },
  meaning: string,
): Setting<string | F> {
  return declare<string | F>({
    name,
    meaning,
    fallback: rule.fallback,
    allowed: rule.allowed,
    ...(rule.secret ? { show: () => '<redacted>' } : {}),
    parse: (raw) => (rule.pattern.test(raw) && (rule.accepts?.(raw) ?? true) ? raw : undefined),
  });
}

/** Comma-separated items, each matching `pattern`; `secret` keeps every item out of the error line. */
export function list(
  name: string,
  rule: { readonly pattern: RegExp; readonly allowed: string; readonly secret?: boolean },
  meaning: string,
): Setting<readonly string[]> {
  return declare<readonly string[]>({
    name,
    meaning,
    fallback: [],
    defaultText: undefined,
    allowed: rule.allowed,
    show: (raw) => (rule.secret ? '<redacted>' : (listItems(raw).find((item) => !rule.pattern.test(item)) ?? raw)),
    parse: (raw) => {
      const found = listItems(raw);
      return found.every((item) => rule.pattern.test(item)) ? found : undefined;
    },
  });
}

/**
 * A URL with one of `protocols` that the WHATWG parser accepts, with a host, and whose user and
 * password decode (the drivers parse it the same way and would otherwise throw at start-up).
 * The error line shows it without its credentials.
 */
export function url(name: string, protocols: readonly string[], meaning: string): Setting<string | undefined> {
  return declare<string | undefined>({
    name,
    meaning,
    fallback: undefined,
    allowed: `a ${protocolsText(protocols)} URL with a host`,
    show: withoutCredentials,
    parse: (raw) => (isUrlOf(raw, protocols) ? raw : undefined),
  });
}

/** Comma-separated URLs, each as `url` takes one; the error line shows the first bad one without its credentials. */
export function urlList(name: string, protocols: readonly string[], meaning: string): Setting<readonly string[]> {
  return declare<readonly string[]>({
    name,
    meaning,
    fallback: [],
    defaultText: undefined,
    allowed: `comma-separated ${protocolsText(protocols)} URLs with a host`,
    // Receivers' URLs (webhooks): a path may be the secret, so it is not shown either.
    show: (raw) => withoutPathOrCredentials(listItems(raw).find((item) => !isUrlOf(item, protocols)) ?? raw),
    parse: (raw) => {
      const found = listItems(raw);
      return found.every((item) => isUrlOf(item, protocols)) ? found : undefined;
    },
  });
}

/** The items of a comma-separated value, trimmed; empty ones are dropped. */
function listItems(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function protocolsText(protocols: readonly string[]): string {
  return protocols.map((protocol) => `${protocol}//`).join(' or ');
}

/** Whether the WHATWG parser takes `raw` with one of `protocols` and a host, and its user and password decode. */
function isUrlOf(raw: string, protocols: readonly string[]): boolean {
  try {
    const parsed = new URL(raw);
    decodeURIComponent(parsed.username);
    decodeURIComponent(parsed.password);
    return protocols.includes(parsed.protocol) && parsed.hostname !== '' && !/\s/.test(raw);
  } catch {
    return false;
  }
}
