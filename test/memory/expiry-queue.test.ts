import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpiryQueue } from '../../adapters/memory/expiry-queue.js';

const drain = (queue: ExpiryQueue<{ expiresAt: number }>): number[] => {
  const out: number[] = [];
  for (let top = queue.peek(); top !== undefined; top = queue.peek()) {
    out.push(top.expiresAt);
    queue.pop();
  }
  return out;
};

describe('ExpiryQueue', () => {
  it('hands entries back earliest deadline first, whatever the order they came in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }), (deadlines) => {
        const queue = new ExpiryQueue<{ expiresAt: number }>();
        for (const expiresAt of deadlines) queue.push({ expiresAt });
        expect(queue.length).toBe(deadlines.length);
        expect(drain(queue)).toEqual([...deadlines].sort((a, b) => a - b));
      }),
    );
  });

  it('keeps its order across pops interleaved with pushes, and after a rebuild', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.constant('pop' as const)), { maxLength: 200 }), (steps) => {
        const queue = new ExpiryQueue<{ expiresAt: number }>();
        const model: number[] = [];
        for (const step of steps) {
          if (step === 'pop') {
            model.sort((a, b) => a - b);
            expect(queue.peek()?.expiresAt).toBe(model[0]);
            model.shift();
            queue.pop();
          } else {
            queue.push({ expiresAt: step });
            model.push(step);
          }
        }
        queue.rebuild(model.map((expiresAt) => ({ expiresAt })));
        expect(drain(queue)).toEqual(model.sort((a, b) => a - b));
      }),
    );
  });
});
