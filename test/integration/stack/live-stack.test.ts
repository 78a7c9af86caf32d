import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStack } from '../../../harness/live/live-stack.js';
import { describeOutcome } from '../../../harness/live/sr-result.js';
import type { SimStack } from '../../../harness/stack/sim-stack.js';
import type { WatchEntry } from '../../../harness/watch/watch-entry.js';
import { esme, START, startTrialStack } from '../../support/acme-world.js';

let stack: SimStack;
let live: LiveStack;
const streamed: WatchEntry[] = [];

beforeAll(async () => {
  stack = await startTrialStack('live-stack', [esme(1)]);
  live = new LiveStack(stack, START);
  live.feed.subscribe((batch) => streamed.push(...batch));
});
afterAll(async () => {
  live.close();
  await stack.stop();
});

async function send(
  as: string,
  srv: string,
  device?: string,
  body?: Record<string, unknown>,
): Promise<string> {
  const sent = await live.send({ as, srv, device, body });
  const result = await sent.result;
  expect(result.outcome, `${srv} for ${device}`).toBeDefined();
  return describeOutcome(result.outcome as NonNullable<typeof result.outcome>);
}

describe('the live stack API that sr, watch and the console share', () => {
  it('lists devices with SMI status, firmware and supplier, and trials with cap and SSC figures', () => {
    const view = live.snapshot();
    expect(view.devices.map((d) => [d.id, d.smiStatus, d.firmwareVersion, d.supplier])).toEqual([
      ['chf1', 'Commissioned', '4.1.0', 'supplier-a'],
      ['esme1', undefined, '0.9.0', 'supplier-a'],
    ]);
    expect(view.trials).toMatchObject([
      { trialId: 'T-0001', maxDevices: expect.any(Number), commissioned: 0, inField: 0 },
    ]);
    expect(view.srvs.map((s) => s.srv)).toContain('8.1.1');
    expect(view.srvs.map((s) => s.srv)).not.toContain('8.7.1'); // not modelled: not offered
  });

  it('sends SRs as a party with their default bodies; the SMI follows, commissioning counts against the cap', async () => {
    expect(await send('supplier-a', '12.2', 'esme1')).toBe('I0');
    expect(live.snapshot().devices[1]?.smiStatus).toBe('Pending');
    expect(await send('supplier-a', '8.11', 'esme1')).toBe('I0');
    expect(await send('supplier-a', '8.4', 'esme1')).toBe('I0');
    expect(await send('supplier-a', '8.1.1', 'esme1')).toBe('I0');
    const view = live.snapshot();
    expect(view.devices[1]).toMatchObject({
      smiStatus: 'Commissioned',
      trialId: 'T-0001',
      lifecycle: 'commissioned',
    });
    expect(view.trials[0]).toMatchObject({ commissioned: 1, inField: 1 });
  });

  it('E4 - an SR as a supplier not registered for the device ends refused, and says so', async () => {
    expect(await send('supplier-b', '11.2', 'esme1')).toMatch(/^E4/);
  });

  it('streams every message decoded, each device frame attributed to its SR', async () => {
    const sent = await live.send({ as: 'supplier-a', srv: '11.2', device: 'esme1' });
    await sent.result;
    live.feed.flush();
    const ofSr = streamed.filter((e) => e.requestId === sent.requestId);
    expect(ofSr.map((e) => [e.kind, e.fromName, e.toName])).toEqual([
      ['serviceRequest', 'supplier-a', 'DCC'],
      ['serviceResponse', 'DCC', 'supplier-a'],
      ['gbcs', 'DCC', 'esme1'],
      ['gbcs', 'esme1', 'DCC'],
      ['serviceResponse', 'DCC', 'supplier-a'],
    ]);
    expect(ofSr.map((e) => e.code).filter(Boolean)).toEqual(['I99', 'I0']);
    expect(ofSr.every((e) => e.srv === '11.2')).toBe(true);
    expect(streamed.map((e) => e.seq)).toEqual(stack.trace.all().map((e) => e.seq));
  });

  it('advances the virtual clock by hand, firing what is due on the way', async () => {
    const before = stack.clock.now();
    const at = await live.advance(86_400_000);
    expect(at).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(live.snapshot().clock.now).toBe(at);
  });

  it('names firmware as a scenario does: an 11.1 naming a firmwareImage fixture carries that image', async () => {
    // The DCC read the image's version (1.0.0) from its header; the CPL lists no 1.0.0 yet.
    expect(await send('supplier-a', '11.1', 'esme1', { firmwareImage: 'acme-e-trial-1.0.0' })).toMatch(
      /^E110101 FIRMWARE-NOT-ON-CPL \(firmware 1\.0\.0 has no CPL entry/,
    );
  });

  it('an SR for a device the stack does not have is refused before anything is sent', async () => {
    const before = stack.trace.length;
    await expect(live.send({ as: 'supplier-a', srv: '11.2', device: 'esme9' })).rejects.toThrow(
      /no device "esme9".*chf1, esme1/,
    );
    await expect(live.send({ as: 'nobody', srv: '11.2', device: 'esme1' })).rejects.toThrow(
      /unknown party "nobody"/,
    );
    expect(stack.trace.length).toBe(before);
  });
});
