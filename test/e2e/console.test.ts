import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, startChild } from '../support/child-processes.js';
import { CLI_ARGS } from '../support/run-cli.js';

/**
 * `trialsim up --console`: the web console in a real browser (Debian's `chromium`; CI installs
 * it). Set TRIALSIM_CONSOLE_SCREENSHOT=docs/console.png to refresh the README's screenshot.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];
/** Service requests sent at once while the page is in use: about a large scenario's worth. */
const LOAD = 300;

let dir: string;
let up: Child;
let url: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  expect(existsSync(CHROMIUM), `${CHROMIUM} missing: apt-get install -y chromium`).toBe(true);
  dir = await mkdtemp(join(tmpdir(), 'trialsim-console-'));
  up = startChild(process.execPath, [
    ...CLI_ARGS,
    'up',
    'scenarios/commissioning.yaml',
    '--port',
    '0',
    '--console',
    '0',
    '--dir',
    dir,
    '--quiet',
  ]);
  url = (await up.waitFor(/console +(http:\/\/127\.0\.0\.1:\d+)/, 'stdout'))[1] as string;
  await up.waitFor(/try: /, 'stdout');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // Offline: the page asks nothing of anyone but the console itself.
  page.on('request', (r) => {
    if (!r.url().startsWith(`${url}/`)) problems.push(`request: ${r.url()}`);
  });
  await page.goto(url);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await up?.stop();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

const smi = (device: string) => page.locator(`#devices tr[data-device="${device}"] td.smi`);

async function sendFromForm(as: string, srv: string, device: string): Promise<string> {
  await page.selectOption('#sr-as', as);
  await page.selectOption('#sr-srv', srv);
  await page.selectOption('#sr-device', device);
  // The form fills in the SRV's default body for the device before it is sent.
  await page.locator(`#sr-body[data-for="${srv}|${device}"]`).waitFor();
  const before = await page.locator('#answers li').count();
  await page.click('#sr-send');
  await page.locator('#answers li').nth(before).waitFor();
  const answer = page.locator('#answers li').first();
  await answer.locator('.outcome:not(.code-wait)').waitFor();
  return (await answer.locator('.outcome').textContent()) ?? '';
}

describe('the web console of a running stack, in a real browser', { timeout: 120_000 }, () => {
  it('shows the devices with their SMI status, firmware and supplier, the trial and the virtual clock', async () => {
    await page.locator('#devices tr[data-device="esme1"]').waitFor();
    await expect.poll(() => smi('chf1').textContent()).toBe('Commissioned');
    expect(await smi('esme1').textContent()).toBe('not in SMI');
    expect(await page.locator('#devices tr[data-device="esme1"] td.firmware').textContent()).toBe('0.9.0');
    expect(await page.locator('#devices tr[data-device="esme1"] td.supplier').textContent()).toBe(
      'supplier-a',
    );
    expect(await page.locator('#trials tr[data-trial="T-0001"] td.commissioned').textContent()).toBe('0');
    expect(await page.textContent('#clock')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(await page.locator('#sr-srv option').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^8\.1\.1 Commission Device \(critical\)/)]),
    );
  });

  it('sends an 8.2 and a 12.2 from the form, shows the answers, the SMI change and the sequence of the SR', async () => {
    expect(await sendFromForm('supplier-a', '8.2', 'chf1')).toMatch(/I0 +outcome: I0/);
    expect(await page.locator('#answers li').first().locator('pre').textContent()).toContain(
      '"status":"Commissioned"',
    );
    expect(await sendFromForm('supplier-a', '12.2', 'esme1')).toMatch(/outcome: I0/);
    await expect.poll(() => smi('esme1').textContent()).toBe('Pending');
    // The stream shows the SR's messages as watch does; the diagram draws them.
    await page.locator('#stream li', { hasText: /supplier-a → DCC {2}SR 12\.2 CV8/ }).waitFor();
    await page.locator('#sequence svg.sequence').waitFor();
    expect(await page.locator('#sequence svg .actor-name').allTextContents()).toEqual(['supplier-a', 'DCC']);
  });

  it('commissions the trial ESME from the form: each SMI step shows, the trial counts it, 8.1.1 drawn with its GBCS messages', async () => {
    expect(await sendFromForm('supplier-a', '8.11', 'esme1')).toMatch(/outcome: I0/);
    await expect.poll(() => smi('esme1').textContent()).toBe('Whitelisted');
    expect(await sendFromForm('supplier-a', '8.4', 'esme1')).toMatch(/outcome: I0/);
    await expect.poll(() => smi('esme1').textContent()).toBe('InstalledNotCommissioned');
    expect(await sendFromForm('supplier-a', '8.1.1', 'esme1')).toMatch(/outcome: I0/);
    await expect.poll(() => smi('esme1').textContent()).toBe('Commissioned');
    await expect
      .poll(() => page.locator('#devices tr[data-device="esme1"] td.lifecycle').textContent())
      .toBe('commissioned');
    await expect
      .poll(() => page.locator('#devices tr[data-device="esme1"] td.trial').textContent())
      .toBe('T-0001');
    await expect
      .poll(() => page.locator('#trials tr[data-trial="T-0001"] td.commissioned').textContent())
      .toBe('1');
    await expect
      .poll(() => page.locator('#sequence svg .actor-name').allTextContents())
      .toEqual(['supplier-a', 'DCC', 'esme1']);
    const shot = process.env.TRIALSIM_CONSOLE_SCREENSHOT ?? join(dir, 'console.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(10_000);
  });

  it("shows an SR's answer even when its outcome arrives before the reply to the form's POST", async () => {
    // Hold the POST's reply until the SR has ended (its outcome event is then already sent).
    await page.route('**/api/sr', async (route) => {
      const response = await route.fetch();
      const { requestId } = (await response.json()) as { requestId: string };
      await expect
        .poll(async () => (await fetch(`${url}/api/sr/${encodeURIComponent(requestId)}`)).status)
        .toBe(200);
      await route.fulfill({ response });
    });
    try {
      expect(await sendFromForm('other-user', '8.2', 'chf1')).toMatch(/I0 +outcome: I0/);
    } finally {
      await page.unroute('**/api/sr');
    }
  });

  it('advances the virtual clock by a day from the clock control', async () => {
    const before = Date.parse(
      `${((await page.textContent('#clock')) ?? '').replace(' UTC', 'Z').replace(' ', 'T')}`,
    );
    await page.click('button[data-advance="1 day"]');
    await expect
      .poll(
        async () =>
          Date.parse(((await page.textContent('#clock')) ?? '').replace(' UTC', 'Z').replace(' ', 'T')) -
          before,
      )
      .toBeGreaterThanOrEqual(86_400_000);
  });

  it('refuses requests from another origin (the event stream and sending alike), sending nothing', async () => {
    const messages = async () => ((await (await fetch(`${url}/api/messages`)).json()) as unknown[]).length;
    const count = await messages();
    const foreign = { origin: 'http://evil.example' };
    expect((await fetch(`${url}/api/events`, { headers: foreign })).status).toBe(403);
    const post = await fetch(`${url}/api/sr`, {
      method: 'POST',
      headers: { ...foreign, 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'supplier-a', srv: '8.2', device: 'chf1' }),
    });
    expect(post.status).toBe(403);
    expect(((await post.json()) as { error: string }).error).toMatch(/evil\.example are refused/);
    const form = await fetch(`${url}/api/sr`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'as=supplier-a&srv=8.2',
    });
    expect(form.status).toBe(403);
    expect(await messages()).toBe(count);
  });

  it(`keeps working while ${LOAD} SRs flow: the form still answers and every SR ends in an outcome`, async () => {
    const asks = Array.from({ length: LOAD }, (_, i) => ({
      as: 'supplier-a',
      srv: i % 3 === 0 ? '8.9' : '8.2',
      device: 'chf1',
    }));
    const sending = Promise.all(
      asks.map(async (ask) => {
        const res = await fetch(`${url}/api/sr`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(ask),
        });
        expect(res.status).toBe(202);
        return ((await res.json()) as { requestId: string }).requestId;
      }),
    );
    expect(await sendFromForm('network-operator', '8.2', 'chf1')).toMatch(/outcome: I0/);
    const ids = await sending;
    const last = ids.at(-1) as string;
    await page
      .locator('#stream li', { hasText: new RegExp(`(8\\.2|8\\.9) I0  ${last}`) })
      .waitFor({ timeout: 60_000 });
    await page.click('button[data-advance="1 minute"]');
    const codes = await Promise.all(
      ids.map(async (id) => {
        const res = await fetch(`${url}/api/sr/${encodeURIComponent(id)}`);
        return res.status === 200 ? ((await res.json()) as { code: string }).code : `HTTP ${res.status}`;
      }),
    );
    expect(codes.filter((c) => c !== 'I0')).toEqual([]);
    // A device SR's sequence: the DCC's GBCS command to the comms hub and its response.
    await page
      .locator('#stream li', { hasText: /SR 8\.9 CV1/ })
      .last()
      .click();
    await expect
      .poll(() => page.locator('#sequence svg .actor-name').allTextContents())
      .toEqual(['supplier-a', 'DCC', 'chf1']);
    expect(problems).toEqual([]);
  });
});
