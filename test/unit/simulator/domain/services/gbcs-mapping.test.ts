import { describe, expect, it } from 'vitest';
import type { DeviceType } from '../../../../../simulator/domain/device/device-types.js';
import { SRV_CATALOGUE } from '../../../../../simulator/domain/duis/srv-catalogue.js';
import { formatMessageCode as messageCodeText } from '../../../../../simulator/domain/gbcs/use-cases/use-case-catalogue.js';
import { deviceAlert } from '../../../../../simulator/domain/services/device-alerts-catalogue.js';
import { SERVICE_CATALOGUE } from '../../../../../simulator/domain/services/service-catalogue.js';

function mapped(srv: string, deviceType: DeviceType, body: Record<string, unknown> = {}) {
  const mapping = SERVICE_CATALOGUE.get(srv)?.gbcs;
  if (mapping === undefined) throw new Error(`${srv} has no GBCS mapping`);
  const result = mapping(deviceType, body);
  return result.useCase === undefined
    ? { useCase: undefined }
    : {
        useCase: result.useCase.name,
        messageCode: messageCodeText(result.useCase.messageCode),
        originator: result.originator,
        critical: result.useCase.critical,
      };
}

/** GBCS.md §3 and §5: an SRV maps to its GBCS use case by device type (issue: real semantics). */
describe('SRV → GBCS use case', () => {
  const cases: [string, DeviceType, Record<string, unknown>, ReturnType<typeof mapped>][] = [
    ['8.1.1', 'ESME', {}, { useCase: 'ECS70', messageCode: '0x0062', originator: 'user', critical: true }],
    ['11.2', 'ESME', {}, { useCase: 'ECS52', messageCode: '0x0059', originator: 'user', critical: false }],
    ['11.2', 'CHF', {}, { useCase: 'ECS52', messageCode: '0x0059', originator: 'acb', critical: false }],
    ['11.2', 'PPMID', {}, { useCase: 'CS08', messageCode: '0x0129', originator: 'acb', critical: false }],
    ['4.1.1', 'ESME', {}, { useCase: 'ECS17b', messageCode: '0x0027', originator: 'user', critical: false }],
    [
      '6.13',
      'ESME',
      { log: 'event' },
      { useCase: 'ECS35a', messageCode: '0x0048', originator: 'user', critical: false },
    ],
    [
      '6.13',
      'ESME',
      { log: 'security' },
      { useCase: 'ECS35b', messageCode: '0x0049', originator: 'user', critical: false },
    ],
    [
      '8.11',
      'CHF',
      { action: 'add' },
      { useCase: 'CCS01', messageCode: '0x0001', originator: 'acb', critical: false },
    ],
    [
      '8.11',
      'CHF',
      { action: 'remove' },
      { useCase: 'CCS02', messageCode: '0x0002', originator: 'acb', critical: false },
    ],
    ['8.9', 'CHF', {}, { useCase: 'CCS06', messageCode: '0x010F', originator: 'acb', critical: false }],
    ['8.9', 'GPF', {}, { useCase: 'CS07', messageCode: '0x0013', originator: 'user', critical: false }],
    ['11.3', 'ESME', {}, { useCase: 'CS06', messageCode: '0x0012', originator: 'user', critical: true }],
    [
      '11.3',
      'ESME',
      { executionDateTime: '2030-01-15T09:00:00Z' },
      { useCase: 'CS06', messageCode: '0x0012', originator: 'user', critical: true },
    ],
    [
      '6.15.1',
      'ESME',
      { replacementMode: 'supplierBySupplier' },
      { useCase: 'CS02b', messageCode: '0x0102', originator: 'user', critical: true },
    ],
    [
      '6.15.1',
      'ESME',
      { replacementMode: 'networkOperatorByNetworkOperator' },
      { useCase: 'CS02b', messageCode: '0x0103', originator: 'user', critical: true },
    ],
    ['6.23', 'ESME', {}, { useCase: 'CS02b', messageCode: '0x0107', originator: 'transCoS', critical: true }],
  ];
  for (const [srv, deviceType, body, expected] of cases) {
    it(`${srv} on a ${deviceType}${Object.keys(body).length > 0 ? ` ${JSON.stringify(body)}` : ''} is ${expected.useCase}`, () => {
      expect(mapped(srv, deviceType, body)).toEqual(expected);
    });
  }

  it('11.1 and 8.3 send no GBCS command (OTA transfer; a DCC-only service)', () => {
    expect(mapped('11.1', 'ESME').useCase).toBeUndefined();
    expect(mapped('8.3', 'ESME').useCase).toBeUndefined();
  });

  it('every device type an SRV may target gets a use case or a stated reason why there is none', () => {
    for (const def of SRV_CATALOGUE.values()) {
      const mapping = SERVICE_CATALOGUE.get(def.srv)?.gbcs;
      if (mapping === undefined) continue;
      for (const type of def.deviceTypes) {
        const result = mapping(type, {});
        if (result.useCase === undefined)
          expect(result.reason.length, `${def.srv} ${type}`).toBeGreaterThan(10);
        else expect(result.useCase.deviceTypes, `${def.srv} ${type}`).toContain(type);
      }
    }
  });

  it('gas use cases are GBZ, which trialsim does not encode as GBCS', () => {
    const gas = SERVICE_CATALOGUE.get('11.2')?.gbcs?.('GSME', {});
    expect(gas?.useCase?.name).toBe('GCS38');
    expect(gas?.useCase?.payload).toBe('gbz');
    expect(gas?.useCase?.gbcsCompatible).toBe(false);
  });
});

describe('device alerts in their GBCS wrappers', () => {
  it('the security alerts of a refused command travel in the Generic Critical Alert to the Supplier', () => {
    for (const code of ['0x8F1E', '0x8F3D', '0x8F30', '0x8F3E']) {
      const alert = deviceAlert(code);
      expect([alert.wrapper.name, messageCodeText(alert.wrapper.messageCode), alert.recipient]).toEqual([
        'GCA',
        '0x1000',
        'supplier',
      ]);
    }
  });

  it('a future-dated outcome is 0x00CA; firmware verification is FDRA 0x00CE; a transfer is CCS08 0x0128 to the ACB', () => {
    expect(messageCodeText(deviceAlert('0x8F66').wrapper.messageCode)).toBe('0x00CA');
    expect(messageCodeText(deviceAlert('0x8F72').wrapper.messageCode)).toBe('0x00CE');
    expect([
      messageCodeText(deviceAlert('0x8F8A').wrapper.messageCode),
      deviceAlert('0x8F8A').recipient,
    ]).toEqual(['0x0128', 'acb']);
  });

  it('an alert code trialsim does not list goes as a Generic Non-Critical Alert', () => {
    expect(deviceAlert('0x81FF').wrapper.name).toBe('GNCA');
    expect(deviceAlert('0x81FF').wrapper.critical).toBe(false);
  });
});
