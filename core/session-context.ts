import { InvalidInputError, ReauthenticationRequiredError } from './errors.js';
import { normalizeIpAddress } from './ip-address.js';

/**
 * Where and how a session was started, beside its data: what a "your devices" page lists and
 * what a sensitive action asks about (how long ago the user last proved who they are). Typed and
 * bounded, unlike `data`, so every store holds it exactly and a listing can show it as it is.
 */
export interface SessionContext {
  /** The client's IP address in normal form (see ip-address.ts). */
  readonly ip?: string;
  readonly userAgent?: string;
  /** A label for the device, as the caller names it ("Ada's phone"). */
  readonly device?: string;
  /** When the user last authenticated (epoch ms). */
  readonly authenticatedAt?: number;
  /** How, in order (e.g. `["password", "webauthn"]`): short tokens, no repeats. */
  readonly authMethods?: readonly string[];
}

/** The longest user agent kept, in UTF-16 units. */
export const USER_AGENT_MAX = 512;
/** The longest device label, in UTF-16 units. */
export const DEVICE_MAX = 128;
/** The most authentication methods a session names. */
export const AUTH_METHODS_MAX = 8;
/** How far in the future an `authenticatedAt` may be: the caller's clock may run a little ahead of ours. */
export const AUTH_CLOCK_SKEW_MS = 60_000;
/** The longest `maxAuthAgeSeconds` a reader may ask for: a year. */
export const MAX_AUTH_AGE_SECONDS_MAX = 31_536_000;

// Lowercase, like the method references of RFC 8176 (pwd, otp, hwk): one spelling per method,
// so "no repeats" means what it says.
const AUTH_METHOD = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const FIELDS = new Set(['ip', 'userAgent', 'device', 'authenticatedAt', 'authMethods']);

/** A free-text field of the context: 1 to `max` characters of well-formed text without control characters. */
function checkLabel(field: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new InvalidInputError(field, `must be a string of 1 to ${max} characters`);
  }
  if (!value.isWellFormed()) throw new InvalidInputError(field, 'must be well-formed Unicode (a lone surrogate is not text)');
  // Stores keep fields apart with control characters (Redis), and logs must not be forged with them.
  if (CONTROL.test(value)) throw new InvalidInputError(field, 'must not contain control characters');
  return value;
}

function checkIp(value: unknown): string {
  const normal = typeof value === 'string' ? normalizeIpAddress(value) : undefined;
  if (normal === undefined) throw new InvalidInputError('ip', 'must be an IPv4 address (dotted decimal) or an IPv6 address');
  return normal;
}

function checkAuthenticatedAt(value: unknown, now: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidInputError('authenticatedAt', 'must be an instant (epoch milliseconds)');
  }
  if (value > now + AUTH_CLOCK_SKEW_MS) throw new InvalidInputError('authenticatedAt', 'must not be in the future');
  return value;
}

function checkAuthMethods(value: unknown): readonly string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > AUTH_METHODS_MAX) {
    throw new InvalidInputError('authMethods', `must be a list of 1 to ${AUTH_METHODS_MAX} methods`);
  }
  for (const method of value) {
    if (typeof method !== 'string' || !AUTH_METHOD.test(method)) {
      throw new InvalidInputError('authMethods', 'each must be 1 to 32 of a-z, 0-9, _, . and -, starting with a letter or digit');
    }
  }
  if (new Set(value).size !== value.length) throw new InvalidInputError('authMethods', 'must not repeat a method');
  return [...(value as string[])];
}

/**
 * Checks a session's context at `now` (for `authenticatedAt`, which may not be in the future
 * beyond the clock skew) and answers it in normal form: only the fields given, the IP address
 * normalised, a fresh copy the caller cannot change. `undefined` for no context or one with no
 * field. The one check of a context, wherever a session gets one (create, rotate).
 */
export function checkContext(context: unknown, now: number): SessionContext | undefined {
  if (context === undefined) return undefined;
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    throw new InvalidInputError('context', 'must be an object');
  }
  const given = context as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!FIELDS.has(name)) throw new InvalidInputError('context', `has no field ${JSON.stringify(name)}`);
  }
  const checked: { -readonly [K in keyof SessionContext]: SessionContext[K] } = {};
  if (given['ip'] !== undefined) checked.ip = checkIp(given['ip']);
  if (given['userAgent'] !== undefined) checked.userAgent = checkLabel('userAgent', given['userAgent'], USER_AGENT_MAX);
  if (given['device'] !== undefined) checked.device = checkLabel('device', given['device'], DEVICE_MAX);
  if (given['authenticatedAt'] !== undefined) checked.authenticatedAt = checkAuthenticatedAt(given['authenticatedAt'], now);
  if (given['authMethods'] !== undefined) checked.authMethods = checkAuthMethods(given['authMethods']);
  return Object.keys(checked).length === 0 ? undefined : checked;
}

/** Checks how recent an authentication a reader asks for, in whole seconds (0 to a year), and answers it in ms. */
export function checkMaxAuthAgeSeconds(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_AUTH_AGE_SECONDS_MAX) {
    throw new InvalidInputError('maxAuthAgeSeconds', `must be a whole number from 0 to ${MAX_AUTH_AGE_SECONDS_MAX}`);
  }
  return value * 1000;
}

/**
 * Whether the user authenticated recently enough at `now`: at most `maxAuthAge` ms ago (an
 * authentication exactly that old still counts). A session that does not say when is never fresh.
 */
export function isAuthenticationFresh(context: SessionContext | undefined, maxAuthAge: number, now: number): boolean {
  const at = context?.authenticatedAt;
  return at !== undefined && now - at <= maxAuthAge;
}

/** Throws `ReauthenticationRequiredError` unless {@link isAuthenticationFresh}. */
export function requireFreshAuthentication(context: SessionContext | undefined, maxAuthAge: number, now: number): void {
  if (!isAuthenticationFresh(context, maxAuthAge, now)) throw new ReauthenticationRequiredError(maxAuthAge / 1000);
}
