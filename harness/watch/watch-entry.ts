import { parseRequestId } from '../../simulator/domain/index.js';
import type { TraceEntry } from '../../simulator/trace/index.js';

/**
 * One message of a running stack as `trialsim watch` and the console show it: the DCC's trace
 * entry (already decoded by the trace, whatever the wire format) with names for the EUIs and the
 * SR it belongs to. JSON-safe: it crosses MQTT (the watch topic) and Server-Sent Events.
 */
export interface WatchEntry {
  readonly seq: number;
  /** Virtual time, ISO 8601. */
  readonly at: string;
  readonly from: string;
  readonly fromName: string;
  readonly to: string;
  readonly toName: string;
  /** `serviceRequest`, `serviceResponse`, `dccAlert`, `gbcs`, `malformed`, `notice` or `fault`. */
  readonly kind: string;
  readonly summary: string;
  /** The SRV of the SR this message belongs to, where known. */
  readonly srv?: string;
  readonly requestId?: string;
  /** Command variant of a service request. */
  readonly commandVariant?: number;
  /** DUIS response code, or the alert code of a DCC alert. */
  readonly code?: string;
  /** Scenario id (or EUI) of the device the message is about. */
  readonly device?: string;
  /** The GBCS message code of a device message, as the trace decoded it. */
  readonly messageCode?: string;
  /** The GBCS use case, where the trace names it (e.g. ECS17b). */
  readonly useCase?: string;
}

type Detail = Record<string, unknown> | undefined;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** A GBCS counter as the trace gives it: a number, or decimal text (a 64-bit counter). */
const counterOf = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : undefined;

/** SRs remembered for attribution; the oldest are forgotten first (a long `up` session). */
const REMEMBERED = 50_000;

interface SrMemory {
  readonly srv: string;
  readonly requestId: string;
  readonly device: string | undefined;
}

/**
 * Turns trace entries into watch entries, in order. It remembers each SR by RequestID and by
 * the device and counter its command carries (DUIS uses the RequestID counter as the GBCS
 * originator counter, DCC.md §2), so responses, alerts and device frames name their SR.
 */
export class WatchEntryMaker {
  private readonly byRequestId = new Map<string, SrMemory>();
  private readonly byDeviceCounter = new Map<string, SrMemory>();

  constructor(private readonly names: Readonly<Record<string, string>>) {}

  private name(eui: string): string {
    return this.names[eui] ?? eui;
  }

  make(entry: TraceEntry): WatchEntry {
    const detail = entry.detail as Detail;
    const base = {
      seq: entry.seq,
      at: new Date(entry.at).toISOString(),
      from: entry.from,
      fromName: this.name(entry.from),
      to: entry.to,
      toName: this.name(entry.to),
      kind: entry.kind,
      summary: entry.summary,
    };
    switch (entry.kind) {
      case 'serviceRequest': {
        const requestId = str(detail?.requestId);
        const srv = str(detail?.srv);
        if (requestId === undefined || srv === undefined) return base;
        const memory = this.remember(requestId, srv, detail);
        const cv = num(detail?.commandVariant);
        return {
          ...base,
          srv,
          requestId,
          ...(cv === undefined ? {} : { commandVariant: cv }),
          ...(memory.device === undefined ? {} : { device: memory.device }),
        };
      }
      case 'serviceResponse':
      case 'dccAlert': {
        const details = detail?.details as Detail;
        const requestId = str(detail?.requestId) ?? str(details?.requestId);
        const code = str(detail?.responseCode) ?? str(detail?.alertCode) ?? str(detail?.alert);
        const memory = requestId === undefined ? undefined : this.byRequestId.get(requestId);
        const deviceId = str(detail?.deviceId);
        const device = memory?.device ?? (deviceId === undefined ? undefined : this.name(deviceId));
        return {
          ...base,
          ...(memory === undefined ? {} : { srv: memory.srv }),
          ...(requestId === undefined ? {} : { requestId }),
          ...(code === undefined ? {} : { code }),
          ...(device === undefined ? {} : { device }),
        };
      }
      case 'gbcs': {
        // The device is whichever end is not the DCC.
        const deviceEui = entry.from === 'DCC' ? entry.to : entry.from;
        // The DUIS counter the frame belongs to: `userCounter` where the trace names it (a GBCS
        // header counter may be the ACB's), else the command's counter a response carries.
        const counter =
          counterOf(detail?.userCounter) ?? counterOf(detail?.inResponseTo) ?? counterOf(detail?.counter);
        const memory =
          counter === undefined ? undefined : this.byDeviceCounter.get(`${deviceEui}:${counter}`);
        const messageCode = detail?.messageCode;
        const useCase = str(detail?.useCase);
        return {
          ...base,
          device: this.name(deviceEui),
          ...(memory === undefined ? {} : { srv: memory.srv, requestId: memory.requestId }),
          ...(messageCode === undefined ? {} : { messageCode: String(messageCode) }),
          ...(useCase === undefined ? {} : { useCase }),
        };
      }
      default:
        return base;
    }
  }

  private remember(requestId: string, srv: string, detail: Detail): SrMemory {
    const known = this.byRequestId.get(requestId);
    if (known !== undefined) return known;
    let target: string | undefined;
    let counter: number | undefined;
    try {
      const id = parseRequestId(requestId);
      target = id.target;
      counter = id.counter;
    } catch {
      // A malformed RequestID: the DCC refuses it; the watch still shows it, unattributed.
    }
    const body = detail?.body as Detail;
    const bodyDevice = str(body?.deviceId);
    // Non-device SRs target the DCC and name their device in the body.
    const deviceEui = target !== undefined && this.names[target] !== 'DCC' ? target : bodyDevice;
    const memory: SrMemory = {
      srv,
      requestId,
      device: deviceEui === undefined ? undefined : this.name(deviceEui),
    };
    this.byRequestId.set(requestId, memory);
    if (target !== undefined && counter !== undefined)
      this.byDeviceCounter.set(`${target}:${counter}`, memory);
    for (const map of [this.byRequestId, this.byDeviceCounter])
      if (map.size > REMEMBERED) map.delete(map.keys().next().value as string);
    return memory;
  }
}
