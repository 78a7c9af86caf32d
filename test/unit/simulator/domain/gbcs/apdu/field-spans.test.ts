import { describe, expect, it } from 'vitest';
import type { Eui } from '../../../../../../simulator/domain/eui.js';
import { decodeGbcsMessage } from '../../../../../../simulator/domain/gbcs/apdu/gbcs-message.js';
import {
  encodeGeneralSigning,
  SIGNATURE_EMPTY,
} from '../../../../../../simulator/domain/gbcs/apdu/general-signing.js';
import { acbForm } from '../../../../../../simulator/domain/gbcs/apdu/other-information.js';

/**
 * The decoder's field spans (what `trialsim gbcs decode` prints): some values are described only
 * when first read (#21). Read, copied or serialised, they must say what they always said.
 */
const bytes = encodeGeneralSigning({
  cra: 'response',
  counter: 0x0182_ac7b_5a07n,
  originator: '00-DB-12-34-56-78-90-A0' as Eui,
  recipient: '90-B3-D5-1F-30-01-00-00' as Eui,
  dateTime: {
    year: 2026,
    month: 1,
    day: 5,
    dayOfWeek: 0xff,
    hour: 10,
    minute: 30,
    second: 0,
    hundredths: 0,
    deviation: -0x8000,
    clockStatus: 0xff,
  },
  otherInformation: acbForm(0x0059, '90-B3-D5-1F-30-01-00-00' as Eui, 7n),
  content: Uint8Array.of(1, 2, 3),
  signature: SIGNATURE_EMPTY,
});

const EXPECTED = {
  'transaction-id': `CRA 2 (response), counter ${0x0182_ac7b_5a07n}`,
  'date-time': '2026-01-05T10:30:00Z',
  'other-information': 'message code 0x0059, supplementary remote party 90-B3-D5-1F-30-01-00-00 counter 7',
  'content length': '3',
};

describe('GBCS field spans', () => {
  it('describe each field when read, the same on every read, in a copy and in JSON', () => {
    const { fields } = decodeGbcsMessage(bytes);
    const values = () => Object.fromEntries(fields.map((f) => [f.name, f.value]));
    for (const [name, value] of Object.entries(EXPECTED)) expect(values()[name]).toBe(value);
    expect(values()).toEqual(values());
    const copied = JSON.parse(JSON.stringify(fields)) as { name: string; value?: string }[];
    expect(copied.map((f) => [f.name, f.value])).toEqual(fields.map((f) => [f.name, f.value]));
    expect(fields.map((f) => ({ ...f }))).toEqual(copied);
  });
});
