import { GbcsDecodeError } from '../../apdu/gbcs-codec-error.js';
import type { AccessResponse, DlmsApdu } from './dlms-apdu.js';
import type { DlmsData } from './dlms-data.js';

/**
 * Checked access to decoded DLMS values for use-case readers: a value of the wrong shape is a
 * GbcsDecodeError naming what was expected, so a device that answers ECS52 with a structure gets
 * a clear verdict, not a TypeError. Offsets are not known at this level: they point at the content.
 */
export class DlmsShapeReader {
  constructor(
    readonly useCase: string,
    readonly contentOffset = 0,
  ) {}

  fail(what: string, reason: string): never {
    throw new GbcsDecodeError(this.contentOffset, `${this.useCase} payload`, `${what}: ${reason}`);
  }

  response(apdu: DlmsApdu, dataCount: number): AccessResponse {
    if (apdu.apdu !== 'access-response')
      this.fail('APDU', `expected an access-response (DA), got ${apdu.apdu}`);
    if (apdu.data.length !== dataCount)
      this.fail('data', `expected ${dataCount} data items, got ${apdu.data.length}`);
    return apdu;
  }

  is<T extends DlmsData['type']>(
    data: DlmsData | undefined,
    type: T,
    what: string,
  ): Extract<DlmsData, { type: T }> {
    if (data?.type !== type) this.fail(what, `expected ${type}, got ${data?.type ?? 'nothing'}`);
    return data as Extract<DlmsData, { type: T }>;
  }

  elements(
    data: DlmsData | undefined,
    type: 'structure' | 'array',
    count: number | undefined,
    what: string,
  ): readonly DlmsData[] {
    const value = this.is(data, type, what);
    if (count !== undefined && value.elements.length !== count) {
      this.fail(what, `expected ${count} elements, got ${value.elements.length}`);
    }
    return value.elements;
  }
}
