import { decodeDlmsApdu } from '../../gbcs/payloads/dlms/dlms-apdu.js';
import { dateFromSeconds2000 } from '../../gbcs/payloads/dlms/dlms-values.js';
import {
  decodeEcs35Command,
  decodeEcs35Response,
  type EsmeLog,
  encodeEcs35Command,
  encodeEcs35Response,
  type LogEntry,
} from '../../gbcs/payloads/esme/ecs35.js';
import { dlmsFailureResponse, dlmsOutcome, succeeded, type UseCaseContent } from './use-case-content.js';

/** The widest range ECS35 can name: 2000-01-01 to the last double-long-unsigned second. */
const WHOLE_LOG = { from: dateFromSeconds2000(0), to: dateFromSeconds2000(0xffff_ffff) };

function date(value: unknown, otherwise: Date): Date {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? otherwise : new Date(at);
}

/**
 * A device log entry as ECS35 carries it: time, 2-byte event or alert code, extra octets. A
 * trialsim entry's code is a GBCS code (`0x8F3D`) or, for the few events GBCS gives no code,
 * a name, which travels as code 0 with the name before the detail; the detail is UTF-8 in the
 * extra octets (trialsim's text, in RTDS's layout).
 */
function toLogEntry(entry: unknown): LogEntry {
  const e = (entry ?? {}) as { at?: unknown; code?: unknown; detail?: unknown };
  const code = String(e.code ?? '');
  const numeric = /^0x[0-9a-f]{1,4}$/i.test(code) ? Number.parseInt(code, 16) : undefined;
  const detail = String(e.detail ?? '');
  return {
    time: new Date(typeof e.at === 'number' ? e.at : 0),
    code: numeric ?? 0,
    data: Uint8Array.from(Buffer.from(numeric === undefined ? `${code}: ${detail}` : detail, 'utf8')),
  };
}

function fromLogEntry(entry: LogEntry): { at: number; code: string; detail: string } {
  return {
    at: entry.time.getTime(),
    code: `0x${entry.code.toString(16).toUpperCase().padStart(4, '0')}`,
    detail: Buffer.from(entry.data).toString('utf8'),
  };
}

function ecs35Content(log: EsmeLog): UseCaseContent {
  return {
    encodeCommand: (body, { counter }) =>
      encodeEcs35Command(
        { log, from: date(body.from, WHOLE_LOG.from), to: date(body.to, WHOLE_LOG.to) },
        counter,
      ),
    decodeCommand: (content, offset) => {
      const command = decodeEcs35Command(content, offset);
      return { log: command.log, from: command.from.toISOString(), to: command.to.toISOString() };
    },
    encodeResponse: (body, { counter }) =>
      succeeded(body) && Array.isArray(body.log)
        ? encodeEcs35Response(body.log.map(toLogEntry), counter)
        : dlmsFailureResponse(['get'], counter),
    decodeResponse: (content, offset) => {
      const apdu = decodeDlmsApdu(content, offset);
      const outcome = dlmsOutcome(apdu.apdu === 'access-response' ? apdu.results.map((r) => r.result) : []);
      if (outcome.status !== 'success') return outcome;
      return { status: 'success', log: decodeEcs35Response(content, offset).map(fromLogEntry) };
    },
  };
}

/** 6.13's payloads: ECS35a (event log) and ECS35b (security log), GBCS.md §7.4. */
export const ecs35aContent = ecs35Content('event');
export const ecs35bContent = ecs35Content('security');
