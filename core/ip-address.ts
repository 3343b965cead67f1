/**
 * IP addresses as a session's context holds them: parsed strictly and kept in one normal form,
 * so the same client is always the same text (`2001:DB8::0:1` and `2001:db8::1` are one
 * address) and nothing that merely looks like an address gets stored. Hand-written because the
 * core imports nothing; the forms are RFC 4291 §2.2 (text of IPv6) and RFC 5952 (its normal form).
 */

/** The longest text taken as an address: a full IPv6 address with an IPv4 tail is 45 characters. */
export const IP_TEXT_MAX = 45;

// Dotted decimal, four octets, no leading zeros: "010.0.0.1" is octal to some parsers and
// decimal to others, so it names no address here.
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])';
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const GROUP = /^[0-9A-Fa-f]{1,4}$/;

/** The four octets of a dotted-decimal IPv4 address, or `undefined`. */
function ipv4Octets(text: string): number[] | undefined {
  const match = IPV4.exec(text);
  return match === null ? undefined : match.slice(1, 5).map(Number);
}

/** The eight 16-bit groups of an IPv6 address (no zone id), or `undefined`. */
function ipv6Groups(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = groupsOf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1]!, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // "::" stands for at least one group of zeros.
  const missing = 8 - head.length - tail.length;
  if (missing < 1) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/**
 * The groups of colon-separated hex pieces ('' is none); the last piece may be an IPv4 address
 * (two groups, the low 32 bits) only when it ends the whole text (`endsText`).
 */
function groupsOf(half: string, endsText: boolean): number[] | undefined {
  if (half === '') return [];
  const pieces = half.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (GROUP.test(piece)) {
      groups.push(parseInt(piece, 16));
      continue;
    }
    const octets = endsText && i === pieces.length - 1 ? ipv4Octets(piece) : undefined;
    if (octets === undefined) return undefined;
    groups.push(octets[0]! * 256 + octets[1]!, octets[2]! * 256 + octets[3]!);
  }
  return groups;
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups (the first on a tie) as "::". */
function formatIpv6(groups: readonly number[]): string {
  // An IPv4-mapped address (::ffff:0:0/96) is written with its IPv4 tail (RFC 5952 §5).
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    return `::ffff:${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
    start += length;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The normal form of an IPv4 or IPv6 address, or `undefined` when `text` is not one. */
export function normalizeIpAddress(text: string): string | undefined {
  if (text.length === 0 || text.length > IP_TEXT_MAX) return undefined;
  const octets = ipv4Octets(text);
  if (octets !== undefined) return octets.join('.');
  if (!text.includes(':')) return undefined;
  const groups = ipv6Groups(text);
  return groups === undefined ? undefined : formatIpv6(groups);
}

/**
 * What logs may show of an address: its network, never the host. IPv4 (and IPv4-mapped IPv6,
 * as Node reports IPv4 clients of a dual-stack socket) to /24, IPv6 to /48, the usual bounds of
 * what identifies a subscriber rather than a person. Text that is no address (none known) shows as `unknown`.
 */
export function ipAddressPrefix(text: string): string {
  const normal = normalizeIpAddress(text);
  if (normal === undefined) return 'unknown';
  const v4 = normal.startsWith('::ffff:') && normal.includes('.') ? normal.slice(7) : normal;
  const octets = ipv4Octets(v4);
  if (octets !== undefined) return `${octets[0]}.${octets[1]}.${octets[2]}.0/24`;
  const groups = ipv6Groups(normal)!;
  return `${formatIpv6([...groups.slice(0, 3), 0, 0, 0, 0, 0])}/48`;
}
