import { describe, expect, it } from 'vitest';
import { encodeContentBody } from '../../../../../../simulator/adapters/wire/envelope.js';
import { parseEui } from '../../../../../../simulator/domain/eui.js';
import {
  encodeGeneralSigning,
  SIGNATURE_EMPTY,
} from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../../../../../simulator/domain/gbcs/apdu/other-information.js';
import { inspectGbcsMessage } from '../../../../../../simulator/domain/gbcs/inspect/inspect-message.js';

const apdu = (messageCode: number, content: Uint8Array) =>
  encodeGeneralSigning({
    cra: 'command',
    counter: 7n,
    originator: parseEui('90-B3-D5-1F-30-01-00-00'),
    recipient: parseEui('00-12-4B-00-00-00-01-01'),
    dateTime: null,
    otherInformation: messageCodeOnly(messageCode),
    content,
    signature: SIGNATURE_EMPTY,
  });

describe('gbcs decode on trialsim-profile messages (PROTOCOL.md §5)', () => {
  it('CBOR content under a GBCS message code is named trialsim-profile content, not a GBCS payload', () => {
    const view = inspectGbcsMessage(apdu(0x0001, encodeContentBody({ action: 'add' })), {
      acb: parseEui('90-B3-D5-1F-30-00-00-02'),
    }).json as unknown as { payload: { encoding: string; note: string } };
    expect(view.payload.encoding).toBe('trialsim-cbor');
    expect(view.payload.note).toMatch(/not a GBCS payload/);
  });

  it('a trialsim private message code (0xFF0A, 8.3) is named so whatever the content', () => {
    const view = inspectGbcsMessage(apdu(0xff0a, Uint8Array.of(0x30, 0x00)), {
      acb: parseEui('90-B3-D5-1F-30-00-00-02'),
    }).json as unknown as { payload: { encoding: string } };
    expect(view.payload.encoding).toBe('trialsim-cbor');
  });
});
