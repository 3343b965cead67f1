import type { SessionItem } from './session-item.js';

/** DynamoDB refuses an item larger than 400 KB (names and values together). */
export const MAX_ITEM_BYTES = 400 * 1024;

const encoder = new TextEncoder();

/**
 * The size DynamoDB counts for a session item: for each attribute, the UTF-8 bytes of its name
 * plus its value (a string's UTF-8 bytes; a number's significant digits, one byte per two, plus
 * one). Our items hold only strings and numbers.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function sessionItemSize(item: SessionItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += encoder.encode(name).byteLength;
    size += typeof value === 'string' ? encoder.encode(value).byteLength : numberSize(value as number);
  }
  return size;
}

/** A number's stored size: leading and trailing zeros do not count. */
export function numberSize(value: number): number {
  const digits = significantDigits(value);
  return Math.ceil(digits / 2) + 1;
}

function significantDigits(value: number): number {
  // Exponent notation (1e21 and up, or tiny fractions) carries its digits before the `e`.
  const mantissa = Math.abs(value).toString().split('e')[0] ?? '';
  const trimmed = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(trimmed.length, 1);
}
