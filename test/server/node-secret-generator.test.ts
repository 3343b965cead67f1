import { describe, expect, it } from 'vitest';
import { isIssuedToken } from '../../core/index.js';
import { nodeSecretGenerator } from '../../server/node-secret-generator.js';

/**
 * The service's secrets come from a pool of Node's CSPRNG output: what must hold is that no slice
 * is handed out twice (across refills, and between two generators), that each is 256 bits in the
 * token alphabet, and that the bits are not stuck (every symbol shows, none dominates).
 */
describe('nodeSecretGenerator', () => {
  it('hands out 43-character base64url secrets, each once, across many refills and between generators', () => {
    const first = nodeSecretGenerator();
    const second = nodeSecretGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      for (const secret of [first.next(), second.next()]) {
        expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
        seen.add(secret);
      }
    }
    expect(seen.size).toBe(40_000);
  });

  it('uses the whole alphabet evenly, and its secrets make tokens the core accepts', () => {
    const generator = nodeSecretGenerator();
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      // The last character holds only 4 bits of the 256; the first 42 are full 6-bit symbols.
      for (const symbol of generator.next().slice(0, 42)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    // 168,000 symbols over 64: about 2,625 each; a stuck or biased source strays far from that.
    expect(counts.size).toBe(64);
    for (const count of counts.values()) {
      expect(count).toBeGreaterThan(2_200);
      expect(count).toBeLessThan(3_050);
    }
    expect(isIssuedToken(`AAAA.${generator.next()}`)).toBe(true);
  });
});
