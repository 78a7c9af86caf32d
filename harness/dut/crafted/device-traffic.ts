import type { Eui } from '../../../simulator/domain/index.js';
import type { MessageTrace, TraceEntry } from '../../../simulator/trace/index.js';
import { type DeviceMessage, readDeviceFrame } from './crafted-command.js';

/**
 * What a device said and heard, read from the run's trace. The DCC sits on every path to a
 * device (the trace records in the order the DCC saw things), so this is one total order for a
 * simulated device and for a device under test alike. Reading the trace's decoded detail keeps
 * this independent of which process the device runs in; like crafted-command.ts it is the one
 * place that knows how a device message is shown, and changes with the wire.
 */
export interface TrafficEntry {
  readonly seq: number;
  /** `toDevice` a command the DCC (or the harness through it) sent; `fromDevice` its answer. */
  readonly direction: 'toDevice' | 'fromDevice';
  readonly message: DeviceMessage;
}

function messageOf(entry: TraceEntry): DeviceMessage {
  // Every device message in the trace carries its raw APDU as hex (simulator/trace/describe-message.ts).
  const apdu = (entry.detail as { apdu?: unknown } | undefined)?.apdu;
  if (entry.kind !== 'gbcs' || typeof apdu !== 'string') {
    return {
      cra: undefined,
      messageCode: '(unreadable)',
      counter: undefined,
      inResponseTo: undefined,
      dateTime: undefined,
      body: { summary: entry.summary },
    };
  }
  return readDeviceFrame({ apdu: Uint8Array.from(Buffer.from(apdu, 'hex')) });
}

/** The device's traffic in trace entries `fromSeq` onwards (1-based seq, inclusive). */
export function deviceTraffic(trace: MessageTrace, eui: Eui, fromSeq = 1): TrafficEntry[] {
  const out: TrafficEntry[] = [];
  const entries = trace.all();
  for (let i = Math.max(0, fromSeq - 1); i < entries.length; i++) {
    const entry = entries[i] as TraceEntry;
    if (entry.kind !== 'gbcs' && entry.kind !== 'malformed') continue;
    if (entry.from === eui) out.push({ seq: entry.seq, direction: 'fromDevice', message: messageOf(entry) });
    else if (entry.from === 'DCC' && entry.to === eui)
      out.push({ seq: entry.seq, direction: 'toDevice', message: messageOf(entry) });
  }
  return out;
}

/** One breach of a rule about how a device talks (the conduct check reports them). */
export interface ConductViolation {
  readonly rule: string;
  readonly seq: number;
  readonly detail: string;
}

/**
 * Rules every device keeps over a whole scenario, checked on its traffic:
 * - DEV-OWN-COUNTER: its own (alert) counter strictly increases, so none is ever reused (a
 *   repeated counter repeats a GCM nonce, PROTOCOL.md §6); responses echo their command's;
 * - DEV-ANSWER-ONCE: no command is answered by two responses;
 * - DEV-NO-UNSOLICITED-RESPONSE: a response names a command the device was sent;
 * - DEV-TIME-MONOTONIC: the time on its messages never goes backwards (its clock follows the
 *   network and never runs back, PROTOCOL.md §7).
 */
export function conductViolations(traffic: readonly TrafficEntry[]): ConductViolation[] {
  const violations: ConductViolation[] = [];
  let lastCounter: number | undefined;
  let lastTime: number | undefined;
  // Commands by originator and counter: two parties' counters are independent (PROTOCOL.md §6).
  const commands = new Set<string>();
  const answered = new Map<string, number>();
  for (const { seq, direction, message } of traffic) {
    if (direction === 'toDevice') {
      if (message.counter !== undefined) commands.add(`${message.originator}#${message.counter}`);
      continue;
    }
    // A response echoes its command's counter (GBCS); the device's own counter is the alerts'.
    if (message.cra === 3 && message.counter !== undefined) {
      if (lastCounter !== undefined && message.counter <= lastCounter) {
        violations.push({
          rule: 'DEV-OWN-COUNTER',
          seq,
          detail: `${message.messageCode} sent with counter ${message.counter} after ${lastCounter}`,
        });
      }
      lastCounter = Math.max(lastCounter ?? message.counter, message.counter);
    }
    if (message.dateTime !== undefined) {
      if (lastTime !== undefined && message.dateTime < lastTime) {
        violations.push({
          rule: 'DEV-TIME-MONOTONIC',
          seq,
          detail: `${message.messageCode} dated ${new Date(message.dateTime * 1000).toISOString()}, before its previous message (${new Date(lastTime * 1000).toISOString()})`,
        });
      }
      lastTime = Math.max(lastTime ?? message.dateTime, message.dateTime);
    }
    if (message.cra === 2 && message.inResponseTo !== undefined) {
      const key = `${message.recipient}#${message.inResponseTo}`;
      if (!commands.has(key)) {
        violations.push({
          rule: 'DEV-NO-UNSOLICITED-RESPONSE',
          seq,
          detail: `response ${message.messageCode} to ${key}, which no command to the device carried`,
        });
      }
      const times = (answered.get(key) ?? 0) + 1;
      answered.set(key, times);
      if (times > 1) {
        violations.push({
          rule: 'DEV-ANSWER-ONCE',
          seq,
          detail: `a second response ${message.messageCode} to the command ${key}`,
        });
      }
    }
  }
  return violations;
}
