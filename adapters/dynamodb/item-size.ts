import { AUTH_METHODS_MAX, DEVICE_MAX, USER_AGENT_MAX, USER_ID_MAX, type SessionContext } from '../../core/index.js';
import { toSessionItem, type SessionItem } from './session-item.js';

/** DynamoDB refuses an item larger than 400 KB (names and values together). */
export const MAX_ITEM_BYTES = 400 * 1024;

const encoder = new TextEncoder();

/**
 * The size DynamoDB counts for a session item: for each attribute, the UTF-8 bytes of its name
 * plus its value (a string's UTF-8 bytes; a number's significant digits, one byte per two, plus
 * one, with the alignment rule of `numberSize`). Our items hold only strings and numbers.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function sessionItemSize(item: SessionItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += encoder.encode(name).byteLength;
    size += typeof value === 'string' ? encoder.encode(value).byteLength : numberSize(value as number);
  }
  return size;
}

/**
 * A number's stored size. DynamoDB keeps a number as base-100 digits aligned on the decimal
 * point, plus one byte of exponent (and one for a negative sign): 12 takes 2 bytes, 123 takes 3,
 * 1.2 takes 3. The AWS guide's "1 byte per two significant digits, plus 1" is this rounded down;
 * the alignment rule is the one dynalite reproduces from the service.
 */
export function numberSize(value: number): number {
  if (value === 0) return 1;
  // toExponential gives the shortest digits that round-trip: "1.234e+3" is 1234.
  const [mantissa = '', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '').length;
  const pointAligned = digits % 2 === 1 || Number(exponent) % 2 !== 0;
  return 1 + Math.ceil(digits / 2) + (pointAligned ? 0 : 1) + (value < 0 ? 1 : 0);
}

/**
 * The most a session item's attributes other than its data's value can take: a userId of the
 * longest (3 UTF-8 bytes a UTF-16 unit at most), an alias, the widest context, every number of
 * 16 digits. Worked out once, not on every write.
 */
const WIDEST_CONTEXT: SessionContext = {
  // The longest normal form of an address (RFC 5952 never writes more than this).
  ip: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  // 3 UTF-8 bytes a unit; control characters (6 bytes escaped) are refused.
  userAgent: '\uffff'.repeat(USER_AGENT_MAX),
  device: '\uffff'.repeat(DEVICE_MAX),
  authenticatedAt: -Number.MAX_SAFE_INTEGER,
  authMethods: Array.from({ length: AUTH_METHODS_MAX }, (_, i) => `${i}`.padEnd(32, 'x')),
};

const WIDEST_ITEM_BESIDES_DATA = ((): number => {
  const handle = 'AAAA.AAAAAAAAAAAAAAAAAAAAAA';
  const session = {
    id: handle,
    userId: '\uffff'.repeat(USER_ID_MAX),
    data: {},
    createdAt: 0,
    updatedAt: 0,
    lastActiveAt: 0,
    expiresAt: 0,
    version: 0,
    ttl: 0,
    context: WIDEST_CONTEXT,
  };
  const widest = Object.fromEntries(
    Object.entries(toSessionItem(session, handle)).map(([name, value]) => [name, typeof value === 'number' ? -Number.MAX_SAFE_INTEGER : value]),
  );
  return sessionItemSize({ ...(widest as unknown as SessionItem), data: '' });
})();

/**
 * The most a session item with this data (JSON text) can take, whatever else it holds: for a
 * write that does not read the item first.
 */
export function sessionItemSizeBound(data: string): number {
  return WIDEST_ITEM_BESIDES_DATA + encoder.encode(data).byteLength;
}
