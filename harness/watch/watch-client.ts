import { z } from 'zod';
import { MqttTransport } from '../../simulator/adapters/index.js';
import type { WatchEntry } from './watch-entry.js';
import { matchesWatchFilter, type WatchFilter } from './watch-filter.js';
import { STOPPED, watchStatusTopic } from './watch-topic.js';

/** A watch entry as it arrives from the broker: checked, since anyone may publish on the topic. */
const watchEntrySchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  from: z.string(),
  fromName: z.string(),
  to: z.string(),
  toName: z.string(),
  kind: z.string(),
  summary: z.string(),
  srv: z.string().optional(),
  requestId: z.string().optional(),
  commandVariant: z.number().optional(),
  code: z.string().optional(),
  device: z.string().optional(),
  messageCode: z.string().optional(),
  useCase: z.string().optional(),
});

/** Reads one published watch entry, or says what is wrong with it. */
export function parseWatchEntry(payload: Uint8Array): WatchEntry | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return { problem: `not JSON (${payload.length} bytes)` };
  }
  const parsed = watchEntrySchema.safeParse(value);
  if (!parsed.success)
    return {
      problem: parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; '),
    };
  return parsed.data as WatchEntry;
}

export interface WatchOptions {
  readonly brokerUrl: string;
  readonly topic: string;
  readonly filter: WatchFilter;
  readonly clientId: string;
  readonly onEntry: (entry: WatchEntry) => void;
  readonly onProblem: (problem: string) => void;
  /** The stack said it is stopping. */
  readonly onStopped?: () => void;
}

/** Subscribes to a stack's decoded message stream and hands on the entries the filter lets through. */
export async function watchStack(options: WatchOptions): Promise<{ stop(): Promise<void> }> {
  const transport = await MqttTransport.connect({ url: options.brokerUrl, clientId: options.clientId });
  const status = watchStatusTopic(options.topic);
  await transport.subscribe([options.topic, status], (topic, payload) => {
    if (topic === status) {
      if (Buffer.from(payload).toString('utf8') === STOPPED) options.onStopped?.();
      return;
    }
    const entry = parseWatchEntry(payload);
    if ('problem' in entry) options.onProblem(`${options.topic}: ${entry.problem}`);
    else if (matchesWatchFilter(entry, options.filter)) options.onEntry(entry);
  });
  return { stop: () => transport.close() };
}
