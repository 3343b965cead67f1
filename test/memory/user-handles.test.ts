import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserHandles } from '../../adapters/memory/user-handles.js';

describe('UserHandles', () => {
  // Few users and handles, so users go from none to one handle to many and back.
  it('holds what a set of handles per user holds, in order, through adds and removes', () => {
    const user = fc.constantFrom('u1', 'u2', 'u3');
    const handle = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const step = fc.record({ add: fc.boolean(), userId: user, handle });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), fc.option(handle, { nil: undefined }), (steps, after) => {
        const index = new UserHandles();
        const model = new Map<string, Set<string>>();
        for (const { add, userId, handle: h } of steps) {
          const held = model.get(userId) ?? new Set<string>();
          if (add) {
            index.add(userId, h);
            held.add(h);
          } else {
            index.remove(userId, h);
            held.delete(h);
          }
          model.set(userId, held);
        }
        for (const userId of ['u1', 'u2', 'u3', 'nobody']) {
          const expected = [...(model.get(userId) ?? [])].sort();
          expect(index.all(userId)).toEqual(expected);
          expect([...index.after(userId, after)]).toEqual(expected.filter((h) => after === undefined || h > after));
        }
      }),
    );
  });
});
