import { describe, expect, it } from 'vitest';
import {
  deviceMessagesOf,
  deviceWireText,
  mergeDeviceMessages,
  userInterfacesOf,
  userInterfaceText,
} from '../../../../harness/evidence/wire-statement.js';
import { encodeContentBody } from '../../../../simulator/adapters/wire/envelope.js';
import { parseEui } from '../../../../simulator/domain/eui.js';
import {
  encodeGeneralSigning,
  SIGNATURE_EMPTY,
} from '../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { messageCodeOnly } from '../../../../simulator/domain/gbcs/apdu/other-information.js';
import { describeGbcsApdu } from '../../../../simulator/trace/describe-message.js';
import type { TraceEntry } from '../../../../simulator/trace/message-trace.js';

const DEVICE = parseEui('00-12-4B-00-00-00-01-01');
const USER = parseEui('90-B3-D5-1F-30-01-00-00');
let seq = 0;

/** A trace entry for a real GBCS APDU under `messageCode` with trialsim's CBOR content, as the DCC traces it. */
function gbcsEntry(messageCode: number): TraceEntry {
  const apdu = encodeGeneralSigning({
    cra: 'command',
    counter: 1n,
    originator: USER,
    recipient: DEVICE,
    dateTime: null,
    otherInformation: messageCodeOnly(messageCode),
    content: encodeContentBody({}),
    signature: SIGNATURE_EMPTY,
  });
  const { summary, detail } = describeGbcsApdu(apdu);
  return { seq: ++seq, at: 0, from: 'DCC', to: DEVICE, kind: 'gbcs', summary, detail };
}

/** The same entry as the trace would describe it were its content the use case's GBCS payload. */
function withGbcsContent(entry: TraceEntry): TraceEntry {
  return { ...entry, detail: { ...entry.detail, contentProfile: 'gbcs' } };
}

describe('the device wire as the evidence states it (GBCS.md §0: say where it is not the real interface)', () => {
  it('a GBCS header with trialsim CBOR content is not claimed as a GBCS payload', () => {
    const messages = deviceMessagesOf([gbcsEntry(0x0059)]);
    expect(messages.gbcsPayload).toEqual([]);
    expect(messages.trialsimProfile).toEqual([
      { useCase: 'ECS52', messageCode: '0x0059', reason: expect.stringMatching(/CBOR/) },
    ]);
    const text = deviceWireText(messages);
    expect(text).toMatch(/GBCS APDUs over MQTT/);
    expect(text).toMatch(/no use case travelled with its GBCS payload/);
    expect(text).not.toMatch(/byte-compatible/);
    expect(text).toMatch(/ECS52 0x0059/);
  });

  it('a use case whose content is its GBCS payload is listed as byte-compatible, once however often it travelled', () => {
    const messages = deviceMessagesOf([
      withGbcsContent(gbcsEntry(0x0059)),
      withGbcsContent(gbcsEntry(0x0059)),
      gbcsEntry(0xff0a),
    ]);
    expect(messages.gbcsPayload).toEqual([{ useCase: 'ECS52', messageCode: '0x0059' }]);
    expect(messages.trialsimProfile.map((u) => u.messageCode)).toEqual(['0xFF0A']);
    const text = deviceWireText(messages);
    expect(text).toMatch(/byte-compatible GBCS payloads: ECS52 0x0059;/);
    expect(text).toMatch(/trialsim 8\.3 0xFF0A \(trialsim's own message code/);
  });

  it('gas (GSME) is on the trialsim profile even if its content were read as GBCS: the catalogue says GBZ is not written', () => {
    const messages = deviceMessagesOf([withGbcsContent(gbcsEntry(0x007f)), gbcsEntry(0x0084)]);
    expect(messages.gbcsPayload).toEqual([]);
    expect(messages.trialsimProfile.map((u) => `${u.useCase} ${u.reason}`)).toEqual([
      expect.stringMatching(/^GCS28 gas: .*GBZ/),
      expect.stringMatching(/^GCS38 gas: .*GBZ/),
    ]);
  });

  it('a scenario with no device message says so; merging scenarios keeps each use case once', () => {
    expect(deviceWireText(deviceMessagesOf([]))).toMatch(/no device message travelled in this scenario/);
    const merged = mergeDeviceMessages([
      deviceMessagesOf([gbcsEntry(0x0059)]),
      deviceMessagesOf([gbcsEntry(0x0059), gbcsEntry(0x007f)]),
    ]);
    expect(merged.trialsimProfile.map((u) => u.useCase)).toEqual(['ECS52', 'GCS28']);
  });
});

describe('the DCC User interface as the evidence states it', () => {
  const names: Record<string, string> = {
    [USER]: 'supplier-a',
    '90-B3-D5-1F-30-02-00-00': 'network-operator',
  };
  const nameOf = (eui: string) => names[eui] ?? eui;
  const sr = (from: string, requestId: string): TraceEntry => ({
    seq: ++seq,
    at: 0,
    from,
    to: 'DCC',
    kind: 'serviceRequest',
    summary: `SR 11.2 CV1 ${requestId}`,
    detail: { requestId },
  });

  it('a User whose request came as a DUIS POST spoke DUIS over HTTP; one whose request came only on MQTT spoke the envelope', () => {
    const duisId = `${USER}:00-12-4B-00-00-00-01-01:1`;
    const entries: TraceEntry[] = [
      {
        seq: ++seq,
        at: 0,
        from: USER,
        to: 'DCC',
        kind: 'duisRequest',
        summary: `POST /services 11.2 CV 1 ${duisId}`,
      },
      sr(USER, duisId),
      sr('90-B3-D5-1F-30-02-00-00', '90-B3-D5-1F-30-02-00-00:00-12-4B-00-00-00-01-01:1'),
    ];
    const users = userInterfacesOf(entries, nameOf);
    expect(users).toEqual({ duis: ['supplier-a'], envelope: ['network-operator'] });
    const text = userInterfaceText(users);
    expect(text).toMatch(/DUIS XML over HTTP .* for supplier-a;/);
    expect(text).toMatch(/CBOR service-request envelope over MQTT \(not DUIS XML\) for network-operator$/);
  });

  it('Users on MQTT only are never said to speak DUIS XML', () => {
    const users = userInterfacesOf([sr(USER, `${USER}:x:1`)], nameOf);
    expect(users.duis).toEqual([]);
    expect(userInterfaceText(users)).not.toMatch(/DUIS XML over HTTP/);
    expect(userInterfaceText(userInterfacesOf([], nameOf))).toMatch(/no DCC User sent a service request/);
  });
});
