import { describe, expect, it } from 'vitest';
import { startExpirySweeper } from '../../server/expiry-sweeper.js';
import { waitUntil } from '../support/wait-until.js';

/** A logger that keeps what it is told. */
function recordingLogger() {
  const lines: { level: 'warn' | 'info'; fields: object; message: string }[] = [];
  return {
    lines,
    warn: (fields: object, message: string) => lines.push({ level: 'warn', fields, message }),
    info: (fields: object, message: string) => lines.push({ level: 'info', fields, message }),
  };
}

describe('the expiry sweeper loop', () => {
  it('steps again at once while a step claims its whole budget, then waits the interval', async () => {
    const answers = [5, 5, 5, 2];
    const budgets: number[] = [];
    const logger = recordingLogger();
    // An interval no test outlasts: the four steps can only come from the backlog rule.
    const sweeper = startExpirySweeper({
      sweep: async (budget) => {
        budgets.push(budget);
        return answers.shift() ?? 0;
      },
      budget: 5,
      intervalMs: 600_000,
      logger,
    });
    try {
      await waitUntil(async () => expect(budgets).toHaveLength(4));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(budgets).toEqual([5, 5, 5, 5]);
    } finally {
      await sweeper.stop();
    }
    expect(logger.lines).toEqual([]);
  });

  it('keeps going through failing steps: one warning per run of failures, one line when they pass, each step counted', async () => {
    const outcomes: string[] = [];
    let calls = 0;
    const logger = recordingLogger();
    const sweeper = startExpirySweeper({
      sweep: async () => {
        calls++;
        if (calls <= 3 || calls === 5) throw new Error(`store away (${calls})`);
        return 1;
      },
      budget: 10,
      intervalMs: 5,
      logger,
      onStep: (outcome) => outcomes.push('failed' in outcome ? 'failed' : `claimed ${outcome.claimed}`),
    });
    try {
      await waitUntil(async () => expect(calls).toBeGreaterThanOrEqual(7));
    } finally {
      await sweeper.stop();
    }
    expect(outcomes.slice(0, 7)).toEqual(['failed', 'failed', 'failed', 'claimed 1', 'failed', 'claimed 1', 'claimed 1']);
    expect(logger.lines.map((line) => `${line.level}: ${line.message}`)).toEqual([
      expect.stringMatching(/^warn: expiry sweep failed/),
      'info: expiry sweeps succeed again',
      expect.stringMatching(/^warn: expiry sweep failed/),
      'info: expiry sweeps succeed again',
    ]);
    expect((logger.lines[0]!.fields as { err: Error }).err.message).toBe('store away (1)');
  });

  it('stops between steps and waits for the one in flight', async () => {
    let release!: () => void;
    let finished = false;
    let calls = 0;
    const sweeper = startExpirySweeper({
      sweep: async () => {
        calls++;
        await new Promise<void>((resolve) => (release = resolve));
        finished = true;
        return 0;
      },
      budget: 10,
      intervalMs: 600_000,
      logger: recordingLogger(),
    });
    await waitUntil(async () => expect(calls).toBe(1));
    const stopped = sweeper.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(calls).toBe(1);
  });
});
