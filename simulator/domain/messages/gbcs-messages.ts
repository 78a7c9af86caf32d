/**
 * A device message as it travels: one GBCS APDU (`DD` MAC header around a `DF` general-signing
 * APDU, or a bare device-signed `DF`), byte for byte what the MQTT topic or serial frame carries
 * (simulator/PROTOCOL.md §3). Nothing else wraps it.
 */
export interface GbcsFrame {
  readonly apdu: Uint8Array;
}

/**
 * The domain's reading of one device message, after the wire layer (gbcs/wire/) decoded its
 * GBCS header and content:
 * - `messageCode`: the SRV (`8.1.1`) for a command or response, the alert code (`0x8F3D`) for
 *   an alert — what the domain dispatches on; the GBCS message code itself is `useCase`;
 * - `originator`: for a command, the party whose authority it carries (the User; in the ACB form
 *   the supplementary remote party), for anything else the header originator;
 * - `counter`: the header's originator counter (a response's echoes its command's);
 * - `inResponseTo`: for a response, the counter of the command it answers as the User knows it
 *   (its RequestID counter: the supplementary remote party counter in the ACB form).
 */
export interface GbcsPayload {
  readonly cra: 1 | 2 | 3;
  readonly originator: Uint8Array;
  readonly recipient: Uint8Array;
  readonly counter: number;
  /** Seconds since the Unix epoch, virtual time: the header date-time, or when it was read. */
  readonly dateTime: number;
  readonly messageCode: string;
  readonly inResponseTo?: number;
  readonly body: Record<string, unknown>;
  /** The GBCS message code in the header (`0x0062`), for traces. */
  readonly useCase?: string;
}
