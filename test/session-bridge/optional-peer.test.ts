import { describe, expect, it } from 'vitest';
import { loadOptionalPeer } from '../../transports/session-bridge/index.js';

// A specifier in a variable: the type checker must not look for it.
const importOf = (specifier: string) => () => import(specifier);

describe('loadOptionalPeer', () => {
  it('answers the module when it is installed', async () => {
    const koa = await loadOptionalPeer('koa', 'session-api/x', importOf('koa'));
    expect(typeof (koa as { default: unknown }).default).toBe('function');
  });

  it('says which package to install when it is not', async () => {
    const failure = loadOptionalPeer('no-such-framework-x', 'session-api/x', importOf('no-such-framework-x'));
    await expect(failure).rejects.toThrow('session-api/x needs no-such-framework-x, an optional peer dependency of session-api: npm i no-such-framework-x');
  });

  it('passes on any other failure as it is', async () => {
    const broken = new Error('the framework threw while loading');
    await expect(loadOptionalPeer('koa', 'session-api/x', () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
