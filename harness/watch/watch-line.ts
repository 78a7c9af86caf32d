import type { WatchEntry } from './watch-entry.js';

const EUI = '[0-9A-F]{2}(?:-[0-9A-F]{2}){7}';
/** The route a GBCS summary repeats ("… A → B (MACed)"): the line already shows who and whom. */
const ROUTE = new RegExp(` ${EUI} → ${EUI}`, 'g');

/** What the message is: `SR 8.2 CV8`, `8.2 I0`, `alert DeviceAlert 0x8F3D`, `GBCS command 0x0019 (11.2)`. */
export function watchWhat(e: WatchEntry): string {
  switch (e.kind) {
    case 'serviceRequest':
      return `SR ${e.srv ?? '?'}${e.commandVariant === undefined ? '' : ` CV${e.commandVariant}`}`;
    case 'serviceResponse':
      return `${e.srv ?? 'response'} ${e.code ?? '?'}`;
    case 'gbcs': {
      const what = e.summary.replace(ROUTE, '');
      // The v1 wire names the SRV as the message code; a GBCS message code gets the SRV beside it.
      return e.srv === undefined || what.includes(` ${e.srv} `) ? what : `${what} (${e.srv})`;
    }
    default:
      return e.summary;
  }
}

/**
 * One line per message, like the failure trace's (`#seq time from → to  what`), with the
 * RequestID last: `#12 10:00:01.250 supplier-a → DCC  SR 8.2 CV8  90-B3-…:00-DB-…:17`.
 */
export function formatWatchLine(e: WatchEntry): string {
  const time = e.at.slice(11, 23);
  const request = e.requestId === undefined || e.kind === 'gbcs' ? '' : `  ${e.requestId}`;
  const gbcsRequest = e.kind === 'gbcs' && e.requestId !== undefined ? `  ${e.requestId}` : '';
  return `#${e.seq} ${time} ${e.fromName} → ${e.toName}  ${watchWhat(e)}${request}${gbcsRequest}`;
}
