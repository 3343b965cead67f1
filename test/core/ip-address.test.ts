import { describe, expect, it } from 'vitest';
import { ipAddressPrefix, normalizeIpAddress } from '../../core/index.js';

describe('normalizeIpAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['2001:DB8::0:1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    // Two runs of the same length: the first is compressed (RFC 5952 §4.2.3).
    ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
    // One zero group is never "::" (RFC 5952 §4.2.2).
    ['1:2:3:4:5:6:0:8', '1:2:3:4:5:6:0:8'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%s is %s', (text, normal) => {
    expect(normalizeIpAddress(text)).toBe(normal);
  });

  it.each([
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '01.2.3.4',
    '1.2.3.4 ',
    ' 1.2.3.4',
    '1.2.3.-4',
    '0x7f.0.0.1',
    '2130706433',
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    ':1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4::5:6:7:8',
    '12345::',
    'g::',
    'fe80::1%eth0',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '[::1]',
    'localhost',
    '1:2:3:4:5:6:7:1.2.3.4',
    'a'.repeat(46),
  ])('%j is no address', (text) => {
    expect(normalizeIpAddress(text)).toBeUndefined();
  });
});

describe('ipAddressPrefix, what logs show of an address', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24'],
    ['::ffff:127.0.0.1', '127.0.0.0/24'],
    ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
    ['::1', '::/48'],
    ['', 'unknown'],
    ['nonsense', 'unknown'],
  ])('%s shows as %s', (text, prefix) => {
    expect(ipAddressPrefix(text)).toBe(prefix);
  });
});
