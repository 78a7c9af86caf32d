import { GbcsDecodeError } from '../../apdu/gbcs-codec-error.js';
import type { AccessRequest, AccessResponse, CosemDescriptor, DlmsApdu } from './dlms-apdu.js';
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

/** Fails unless the APDU is an access-request whose specifications are exactly `expected`. */
export function expectRequest(
  shape: DlmsShapeReader,
  apdu: DlmsApdu,
  expected: readonly { kind: string; descriptor: CosemDescriptor }[],
): AccessRequest {
  if (apdu.apdu !== 'access-request') shape.fail('APDU', `expected an access-request (D9), got ${apdu.apdu}`);
  const same =
    apdu.specifications.length === expected.length &&
    apdu.specifications.every((spec, i) => {
      const want = expected[i];
      return (
        want !== undefined &&
        spec.kind === want.kind &&
        spec.descriptor.classId === want.descriptor.classId &&
        spec.descriptor.id === want.descriptor.id &&
        spec.descriptor.obis.every((b, k) => b === want.descriptor.obis[k])
      );
    });
  if (!same) shape.fail('specifications', 'not the COSEM operations this use case consists of');
  return apdu;
}
