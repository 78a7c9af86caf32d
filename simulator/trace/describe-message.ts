import type { Envelope } from '../adapters/wire/envelope.js';
import { decodeGbcsPayload } from '../adapters/wire/envelope.js';
import { euiFromBytes } from '../domain/eui.js';

/** A one-line, human-readable account of an envelope, for traces and failure messages. */
export function describeEnvelope(envelope: Envelope): { summary: string; detail: Record<string, unknown> } {
  switch (envelope.kind) {
    case 'serviceRequest': {
      const m = envelope.message;
      return {
        summary: `SR ${m.serviceReferenceVariant} CV${m.commandVariant} ${m.requestId}`,
        detail: {
          requestId: m.requestId,
          srv: m.serviceReferenceVariant,
          commandVariant: m.commandVariant,
          body: m.body,
        },
      };
    }
    case 'serviceResponse': {
      const m = envelope.message;
      return {
        summary: `${m.responseCode} for ${m.serviceReferenceVariant} ${m.requestId}${m.reason ? ` (${m.reason})` : ''}`,
        detail: {
          requestId: m.requestId,
          responseCode: m.responseCode,
          rule: m.rule,
          reason: m.reason,
          body: m.body,
        },
      };
    }
    case 'dccAlert': {
      const m = envelope.message;
      return {
        summary: `alert ${m.alert}${m.alertCode ? ` ${m.alertCode}` : ''} for ${m.deviceId}`,
        detail: { ...m },
      };
    }
    case 'gbcs': {
      try {
        const p = decodeGbcsPayload(envelope.message.payload);
        const kind = p.cra === 1 ? 'command' : p.cra === 2 ? 'response' : 'alert';
        const protection = envelope.message.signature
          ? 'signed'
          : envelope.message.mac
            ? 'MACed'
            : 'unprotected';
        return {
          summary: `GBCS ${kind} ${p.messageCode} #${p.counter} ${euiFromBytes(p.originator)} → ${euiFromBytes(p.recipient)} (${protection})`,
          detail: {
            cra: p.cra,
            messageCode: p.messageCode,
            counter: p.counter,
            inResponseTo: p.inResponseTo,
            body: p.body,
            protection,
          },
        };
      } catch (err) {
        return { summary: `GBCS frame with undecodable payload: ${(err as Error).message}`, detail: {} };
      }
    }
  }
}
