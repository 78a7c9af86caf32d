import { isPrivateMessageCode, useCaseByCode } from '../../simulator/domain/index.js';
import type { TraceEntry } from '../../simulator/trace/index.js';
import type { DeviceMessages, UserInterfaces, WireUseCase } from '../results/scenario-evidence-types.js';

/**
 * What the evidence says about the wires a run used, derived from what travelled in it rather
 * than written once: a statement that claims GBCS or DUIS compatibility the run did not have is
 * worse than none (GBCS.md §0: trialsim must say where it is not the real interface).
 */

/** Why a use case's payload is on trialsim's profile, in words for a reviewer. */
function profileReason(messageCode: number): string {
  if (isPrivateMessageCode(messageCode))
    return "trialsim's own message code: GBCS has no command trialsim can send here";
  if (useCaseByCode(messageCode)?.gbcsCompatible === false)
    return 'gas: GBCS carries this payload as GBZ, which trialsim does not write';
  return "the payload is trialsim's CBOR map, not the use case's GBCS payload";
}

/**
 * The use cases the scenario's device messages travelled as, each once (by message code): with
 * the use case's GBCS payload (byte-compatible), or on trialsim's labelled profile. A message is
 * counted as GBCS only where the catalogue marks the use case GBCS-compatible and the trace found
 * its content to be that use case's GBCS payload (`contentProfile: gbcs`): a GBCS header alone
 * does not make the payload compatible.
 */
export function deviceMessagesOf(entries: Iterable<TraceEntry>): DeviceMessages {
  const gbcs = new Map<string, WireUseCase>();
  const trialsim = new Map<string, WireUseCase>();
  for (const entry of entries) {
    if (entry.kind !== 'gbcs') continue;
    const detail = entry.detail;
    const codeText = detail?.messageCode;
    if (typeof codeText !== 'string') continue; // not a readable APDU: no use case to name
    const code = Number.parseInt(codeText.slice(2), 16);
    const useCase = typeof detail?.useCase === 'string' ? detail.useCase : 'unknown';
    const compatible =
      !isPrivateMessageCode(code) &&
      useCaseByCode(code)?.gbcsCompatible === true &&
      detail?.contentProfile === 'gbcs';
    const key = codeText;
    if (compatible) {
      if (!gbcs.has(key)) gbcs.set(key, { useCase, messageCode: codeText });
    } else if (!trialsim.has(key)) {
      trialsim.set(key, { useCase, messageCode: codeText, reason: profileReason(code) });
    }
  }
  const byCode = (a: WireUseCase, b: WireUseCase) => a.messageCode.localeCompare(b.messageCode);
  return {
    gbcsPayload: [...gbcs.values()].sort(byCode),
    trialsimProfile: [...trialsim.values()].sort(byCode),
  };
}

/** Merges several scenarios' device messages (the report's one statement for a run). */
export function mergeDeviceMessages(all: readonly DeviceMessages[]): DeviceMessages {
  const gbcs = new Map<string, WireUseCase>();
  const trialsim = new Map<string, WireUseCase>();
  for (const m of all) {
    for (const u of m.gbcsPayload) gbcs.set(u.messageCode, u);
    for (const u of m.trialsimProfile) trialsim.set(u.messageCode, u);
  }
  const byCode = (a: WireUseCase, b: WireUseCase) => a.messageCode.localeCompare(b.messageCode);
  return {
    gbcsPayload: [...gbcs.values()].sort(byCode),
    trialsimProfile: [...trialsim.values()].sort(byCode),
  };
}

/** `ECS52 0x0059`; a private code's name already carries its code (`trialsim 8.3 0xFF0A`). */
const named = (u: WireUseCase) =>
  u.useCase.endsWith(u.messageCode) ? u.useCase : `${u.useCase} ${u.messageCode}`;

/** The device wire in words, from what travelled. */
export function deviceWireText(messages: DeviceMessages, scope: 'scenario' | 'run' = 'scenario'): string {
  const frame =
    'GBCS APDUs over MQTT (wan/* topics): the MAC header (DD) around the general-signing APDU (DF), or a device-signed DF, with ECDSA P-256 signatures and the GBCS MAC';
  const { gbcsPayload, trialsimProfile } = messages;
  if (gbcsPayload.length === 0 && trialsimProfile.length === 0)
    return `${frame}; no device message travelled in this ${scope}`;
  const parts: string[] = [];
  parts.push(
    gbcsPayload.length === 0
      ? 'no use case travelled with its GBCS payload'
      : `with byte-compatible GBCS payloads: ${gbcsPayload.map(named).join(', ')}`,
  );
  if (trialsimProfile.length > 0) {
    const groups = new Map<string, WireUseCase[]>();
    for (const u of trialsimProfile) groups.set(u.reason ?? '', [...(groups.get(u.reason ?? '') ?? []), u]);
    const text = [...groups].map(([reason, us]) => `${us.map(named).join(', ')} (${reason})`).join('; ');
    parts.push(
      `on trialsim's labelled profile (CBOR content under the GBCS header, not GBCS-compatible): ${text}`,
    );
  }
  return `${frame}; ${parts.join('; ')}`;
}

/**
 * Which Users reached the DCC how: a service request the DCC took is over DUIS where a DUIS
 * request with its RequestID came in over HTTP (the DUIS endpoint traces each POST as
 * `duisRequest`, its summary ending in the RequestID), else over trialsim's MQTT envelope.
 */
export function userInterfacesOf(
  entries: Iterable<TraceEntry>,
  nameOf: (eui: string) => string,
): UserInterfaces {
  const overHttp = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'duisRequest') continue;
    const requestId = entry.summary.trim().split(/\s+/).at(-1);
    if (requestId !== undefined) overHttp.add(requestId);
  }
  const duis = new Set<string>();
  const envelope = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== 'serviceRequest' || entry.to !== 'DCC') continue;
    const requestId = entry.detail?.requestId;
    const user = nameOf(entry.from);
    if (typeof requestId === 'string' && overHttp.has(requestId)) duis.add(user);
    else envelope.add(user);
  }
  return { duis: [...duis].sort(), envelope: [...envelope].sort() };
}

export function mergeUserInterfaces(all: readonly UserInterfaces[]): UserInterfaces {
  const duis = new Set(all.flatMap((u) => u.duis));
  const envelope = new Set(all.flatMap((u) => u.envelope));
  return { duis: [...duis].sort(), envelope: [...envelope].sort() };
}

/** The DCC User interface in words, from how this scenario's Users actually sent. */
export function userInterfaceText(users: UserInterfaces, scope: 'scenario' | 'run' = 'scenario'): string {
  const parts: string[] = [];
  if (users.duis.length > 0)
    parts.push(`DUIS XML over HTTP (XML-signed, XSD-validated) for ${users.duis.join(', ')}`);
  if (users.envelope.length > 0)
    parts.push(
      `trialsim's CBOR service-request envelope over MQTT (not DUIS XML) for ${users.envelope.join(', ')}`,
    );
  return parts.length === 0 ? `no DCC User sent a service request in this ${scope}` : parts.join('; ');
}
