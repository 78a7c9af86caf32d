import { describe, expect, it } from 'vitest';
import { parseWatchEntry } from '../../../../harness/watch/watch-client.js';
import { type WatchEntry, WatchEntryMaker } from '../../../../harness/watch/watch-entry.js';
import { matchesWatchFilter } from '../../../../harness/watch/watch-filter.js';
import { formatWatchLine } from '../../../../harness/watch/watch-line.js';
import type { TraceEntry } from '../../../../simulator/trace/message-trace.js';

const SUPPLIER = '90-B3-D5-1F-30-01-00-00';
const DCC = '00-DB-12-34-56-78-90-A0';
const ESME = '00-12-4B-00-00-00-01-01';
const NAMES = { DCC: 'DCC', [DCC]: 'DCC', [SUPPLIER]: 'supplier-a', [ESME]: 'esme1' };
const AT = Date.parse('2027-01-04T09:00:01.250Z');

function entry(
  seq: number,
  from: string,
  to: string,
  kind: string,
  summary: string,
  detail?: object,
): TraceEntry {
  return {
    seq,
    at: AT,
    from,
    to,
    kind,
    summary,
    ...(detail === undefined ? {} : { detail: detail as Record<string, unknown> }),
  };
}

describe('watch entries: the DCC trace with names and the SR each message belongs to', () => {
  const device = `${SUPPLIER}:${ESME}:17`;
  const nonDevice = `${SUPPLIER}:${DCC}:18`;
  const trace = [
    entry(1, SUPPLIER, 'DCC', 'serviceRequest', `SR 11.2 CV1 ${device}`, {
      requestId: device,
      srv: '11.2',
      commandVariant: 1,
      body: {},
    }),
    entry(2, 'DCC', SUPPLIER, 'serviceResponse', `I99 for 11.2 ${device}`, {
      requestId: device,
      responseCode: 'I99',
    }),
    entry(3, 'DCC', ESME, 'gbcs', `GBCS command 0x0019 #17 ${DCC} → ${ESME} (MACed)`, {
      messageCode: '0x0019',
      counter: 17,
    }),
    entry(4, ESME, 'DCC', 'gbcs', `GBCS response 0x0019 #17 ${ESME} → ${DCC} (unprotected)`, {
      messageCode: '0x0019',
      counter: 17,
    }),
    entry(5, 'DCC', SUPPLIER, 'serviceResponse', `I0 for 11.2 ${device}`, {
      requestId: device,
      responseCode: 'I0',
    }),
    entry(6, SUPPLIER, 'DCC', 'serviceRequest', `SR 8.2 CV8 ${nonDevice}`, {
      requestId: nonDevice,
      srv: '8.2',
      commandVariant: 8,
      body: { deviceId: ESME },
    }),
    entry(7, 'DCC', SUPPLIER, 'serviceResponse', `E19 for 8.2 ${nonDevice}`, {
      requestId: nonDevice,
      responseCode: 'E19',
    }),
  ];
  const entries = (() => {
    const maker = new WatchEntryMaker(NAMES);
    return trace.map((e) => maker.make(e));
  })();

  it('names parties and devices, and gives responses and device frames the SRV and RequestID of their SR', () => {
    expect(entries.map((e) => [e.fromName, e.toName, e.srv, e.requestId, e.code])).toEqual([
      ['supplier-a', 'DCC', '11.2', device, undefined],
      ['DCC', 'supplier-a', '11.2', device, 'I99'],
      ['DCC', 'esme1', '11.2', device, undefined],
      ['esme1', 'DCC', '11.2', device, undefined],
      ['DCC', 'supplier-a', '11.2', device, 'I0'],
      ['supplier-a', 'DCC', '8.2', nonDevice, undefined],
      ['DCC', 'supplier-a', '8.2', nonDevice, 'E19'],
    ]);
    // A non-device SR is about the device its body names.
    expect(entries[5]?.device).toBe('esme1');
  });

  it('one line per message like the failure trace: #seq time from → to, SRV or use case, RequestID, code', () => {
    expect(entries.map(formatWatchLine)).toEqual([
      `#1 09:00:01.250 supplier-a → DCC  SR 11.2 CV1  ${device}`,
      `#2 09:00:01.250 DCC → supplier-a  11.2 I99  ${device}`,
      `#3 09:00:01.250 DCC → esme1  GBCS command 0x0019 #17 (MACed) (11.2)  ${device}`,
      `#4 09:00:01.250 esme1 → DCC  GBCS response 0x0019 #17 (unprotected) (11.2)  ${device}`,
      `#5 09:00:01.250 DCC → supplier-a  11.2 I0  ${device}`,
      `#6 09:00:01.250 supplier-a → DCC  SR 8.2 CV8  ${nonDevice}`,
      `#7 09:00:01.250 DCC → supplier-a  8.2 E19  ${nonDevice}`,
    ]);
  });

  it('filters by party, device and SRV; every filter given must match', () => {
    const seqs = (filter: Parameters<typeof matchesWatchFilter>[1]) =>
      entries.filter((e) => matchesWatchFilter(e, filter)).map((e) => e.seq);
    expect(seqs({})).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seqs({ srvs: ['8.2'] })).toEqual([6, 7]);
    expect(seqs({ parties: ['esme1'] })).toEqual([3, 4]);
    expect(seqs({ parties: [SUPPLIER.toLowerCase()] })).toEqual([1, 2, 5, 6, 7]);
    expect(seqs({ devices: ['esme1'], srvs: ['11.2', '8.2'] })).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seqs({ devices: ['chf1'] })).toEqual([]);
    expect(seqs({ parties: ['supplier-a'], srvs: ['11.2'] })).toEqual([1, 2, 5]);
  });

  it('attributes raw GBCS APDUs too: 64-bit counters as decimal text, the response carrying the command counter', () => {
    const maker = new WatchEntryMaker(NAMES);
    const id = `${SUPPLIER}:${ESME}:1796302469288`;
    const made = [
      entry(1, SUPPLIER, 'DCC', 'serviceRequest', `SR 11.2 CV1 ${id}`, {
        requestId: id,
        srv: '11.2',
        commandVariant: 1,
      }),
      entry(2, 'DCC', ESME, 'gbcs', `GBCS command ECS70 0x0060 #1796302469288 ${DCC} → ${ESME} (MACed)`, {
        cra: 'command',
        useCase: 'ECS70',
        messageCode: '0x0060',
        counter: '1796302469288',
      }),
      entry(
        3,
        ESME,
        'DCC',
        'gbcs',
        `GBCS response ECS70 0x0060 #1796302469288 ${ESME} → ${DCC} (unprotected)`,
        {
          cra: 'response',
          useCase: 'ECS70',
          messageCode: '0x0060',
          counter: '1796302469288',
        },
      ),
    ].map((e) => maker.make(e));
    expect(made.map((e) => [e.requestId, e.srv, e.useCase])).toEqual([
      [id, '11.2', undefined],
      [id, '11.2', 'ECS70'],
      [id, '11.2', 'ECS70'],
    ]);
    // A command in the ACB's form: the header counter is the ACB's, the User's counter is named.
    const acb = maker.make(
      entry(4, 'DCC', ESME, 'gbcs', `GBCS command ECS70 0x0060 #88 ${DCC} → ${ESME} (MACed)`, {
        counter: '88',
        userCounter: 1796302469288,
      }),
    );
    expect(acb.requestId).toBe(id);
    expect(formatWatchLine(made[2] as WatchEntry)).toBe(
      `#3 09:00:01.250 esme1 → DCC  GBCS response ECS70 0x0060 #1796302469288 (unprotected) (11.2)  ${id}`,
    );
  });
});

describe('watch entries from the broker are checked: anyone may publish on the watch topic', () => {
  it('reads a published entry and names what is wrong with anything else', () => {
    const good = {
      seq: 1,
      at: '2027-01-04T09:00:00.000Z',
      from: 'a',
      fromName: 'a',
      to: 'b',
      toName: 'b',
      kind: 'notice',
      summary: 's',
    };
    expect(parseWatchEntry(Buffer.from(JSON.stringify(good)))).toEqual(good);
    expect(parseWatchEntry(Buffer.from('\x00\x01'))).toEqual({ problem: 'not JSON (2 bytes)' });
    expect(parseWatchEntry(Buffer.from(JSON.stringify({ ...good, seq: 'one' })))).toEqual({
      problem: expect.stringMatching(/^seq: /),
    });
  });
});
