import { describe, expect, it } from 'vitest';
import { SR_RECIPES } from '../../../bench/sr-limit.js';
import { measureMessagePattern } from '../../../bench/sr-message-pattern.js';

describe('bench: an SR’s message pattern alone (the broker’s share of the limit, for information)', () => {
  for (const kind of ['read', 'critical'] as const) {
    it(`${kind}: every SR sends exactly the recipe's ${SR_RECIPES[kind].brokerMessage} messages, and all SRs finish`, async () => {
      const messages = SR_RECIPES[kind].brokerMessage;
      const cost = await measureMessagePattern({
        kind,
        devices: 4,
        window: 2,
        requests: 40,
        messageBytes: Array(messages).fill(200),
      });
      expect(cost.messagesPerSr).toBe(messages);
      expect(cost.wall).toBeGreaterThan(0);
      expect(cost.cpu).toBeGreaterThan(0);
    });
  }

  it('refuses sizes that do not match the pattern, saying why', async () => {
    await expect(
      measureMessagePattern({ kind: 'read', devices: 2, window: 1, requests: 1, messageBytes: [100, 100] }),
    ).rejects.toThrow(/read has 5 messages, got 2 sizes/);
  });
});
