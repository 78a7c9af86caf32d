import type { Envelope } from '../adapters/wire/envelope.js';
import { cborContentCodec } from '../adapters/wire/envelope.js';
import { describeDlmsDateTime } from '../domain/gbcs/apdu/dlms-date-time.js';
import { decodeGbcsMessage } from '../domain/gbcs/apdu/gbcs-message.js';
import { formatMessageCode, useCaseByCode } from '../domain/gbcs/use-cases/use-case-catalogue.js';
import { describeMessageCode, isPrivateMessageCode } from '../domain/gbcs/wire/trialsim-profile.js';
import {
  gbcsAlertContentFor,
  gbcsContentFor,
  readAlertContent,
  readCommandContent,
  readResponseContent,
} from '../domain/services/content/wire-content.js';

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
  }
}

/**
 * A device message (a raw GBCS APDU) for traces and sequence diagrams: the use case, transaction,
 * parties and protection from the header, the content decoded where trialsim's profile carries
 * it, and the whole APDU as hex (`apdu`) for `trialsim gbcs decode`.
 */
export function describeGbcsApdu(bytes: Uint8Array): { summary: string; detail: Record<string, unknown> } {
  const apduHex = Buffer.from(bytes).toString('hex');
  try {
    const message = decodeGbcsMessage(bytes);
    const { apdu } = message;
    const code = apdu.otherInformation.messageCode;
    const protection =
      apdu.signature.kind === 'signed'
        ? message.mac === null
          ? 'signed'
          : 'signed+MACed'
        : message.mac === null
          ? 'unprotected'
          : 'MACed';
    const info = apdu.otherInformation;
    const row = useCaseByCode(code);
    // `gbcs`: the content is the use case's GBCS payload (RTDS layout); `trialsim`: the body as
    // trialsim's CBOR map under a GBCS header (simulator/PROTOCOL.md §5).
    // `gbcs` only where the content read as the use case's GBCS payload; anything else under the
    // header (trialsim's CBOR body, or bytes that read as neither) is `trialsim`.
    const form = apdu.cra === 'alert' ? gbcsAlertContentFor(code) : gbcsContentFor(code);
    let body: Record<string, unknown> | undefined;
    let readAsGbcs = false;
    try {
      body =
        apdu.cra === 'response'
          ? readResponseContent(code, apdu.content, message.contentOffset, cborContentCodec)
          : apdu.cra === 'command'
            ? readCommandContent(code, apdu.content, message.contentOffset, cborContentCodec)
            : readAlertContent(code, apdu.content, message.contentOffset, cborContentCodec);
      readAsGbcs = form !== undefined;
    } catch {
      body = undefined;
    }
    if (body === undefined && form !== undefined) {
      try {
        body = cborContentCodec.decodeBody(apdu.content);
      } catch {
        body = undefined;
      }
    }
    const profile = readAsGbcs && row?.gbcsCompatible !== false ? 'gbcs' : 'trialsim';
    const alertCode = apdu.cra === 'alert' && typeof body?.alertCode === 'string' ? ` ${body.alertCode}` : '';
    return {
      summary: `GBCS ${apdu.cra} ${describeMessageCode(code)}${alertCode} #${apdu.counter} ${apdu.originator} → ${apdu.recipient} (${protection})`,
      detail: {
        cra: apdu.cra,
        useCase: isPrivateMessageCode(code) ? describeMessageCode(code) : (row?.name ?? 'unknown'),
        messageCode: formatMessageCode(code),
        counter: apdu.counter.toString(),
        // The DUIS RequestID counter the message belongs to: the header counter, or in the ACB
        // form the supplementary remote party counter (alerts carry their own counter only).
        ...(apdu.cra === 'alert'
          ? {}
          : {
              userCounter: Number(info.form === 'remote-party' ? info.remotePartyCounter : apdu.counter),
            }),
        originator: apdu.originator,
        recipient: apdu.recipient,
        ...(info.form === 'remote-party'
          ? {
              supplementaryRemoteParty: info.remotePartyId,
              supplementaryRemotePartyCounter: info.remotePartyCounter.toString(),
            }
          : {}),
        ...(apdu.dateTime === null ? {} : { dateTime: describeDlmsDateTime(apdu.dateTime) }),
        protection,
        contentProfile: profile,
        ...(body === undefined ? {} : { body }),
        apdu: apduHex,
      },
    };
  } catch (err) {
    return { summary: `not a GBCS APDU: ${(err as Error).message}`, detail: { apdu: apduHex } };
  }
}
