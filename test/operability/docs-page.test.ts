import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySessionStore } from '../../adapters/memory/index.js';
import { openApiDocument } from '../../transports/http/index.js';
import { startTestServer, type TestServer } from '../support/http-test-server.js';

const CHROMIUM = '/usr/bin/chromium';
const outputDir = fileURLToPath(new URL('../../test-output/', import.meta.url));

describe('GET /docs in a real browser', () => {
  let api: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with \`apt-get install chromium\` (.ci/run does)`);
    api = await startTestServer(new MemorySessionStore());
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders every endpoint of the document, offline, with no page errors', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    const offsite: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(api.url)) offsite.push(request.url());
    });
    await page.goto(`${api.url}/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 15_000 });

    // Every route, and every webhook (Swagger UI lists a webhook under its name).
    const document = openApiDocument();
    const expected = [
      ...Object.entries(document.paths as Record<string, Record<string, unknown>>),
      ...Object.entries(document.webhooks as Record<string, Record<string, unknown>>),
    ].flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => key !== 'parameters')
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(Object.keys(document.webhooks as object)).toHaveLength(6);
    const rendered = await page.locator('.opblock-summary').evaluateAll((blocks) =>
      blocks.map((block) => {
        const method = block.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
        const path = block.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
        return `${method} ${path}`;
      }),
    );
    expect(rendered.sort()).toEqual(expected.sort());
    await expect(page.title()).resolves.toBe('session-api reference');
    expect(await page.locator('.info .title').textContent()).toContain('session-api');
    mkdirSync(outputDir, { recursive: true });
    await page.screenshot({ path: `${outputDir}docs-page.png`, fullPage: true });
    // Swagger UI shows problems with the document in the page itself, not as exceptions.
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    expect(await page.getByText('Warning', { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    expect(offsite).toEqual([]);
  });

  it('"Try it out" on POST /sessions creates a session from the documented example', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${api.url}/docs`);
    const operation = page.locator('.opblock-post').filter({ has: page.locator('.opblock-summary-path[data-path="/sessions"]') });
    await operation.locator('.opblock-summary').first().click();
    await operation.locator('.try-out__btn').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toMatch(/^201/);
    const body = JSON.parse((await operation.locator('.live-responses-table .response-col_description pre.microlight').first().textContent()) ?? '{}');
    expect(body).toMatchObject({ userId: expect.any(String), version: 1 });
    expect((await api.request('GET', `/sessions/${body.id}`)).status).toBe(200);
    expect(errors).toEqual([]);
  });
});
