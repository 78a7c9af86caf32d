import type { Eui } from '../eui.js';
import type { GbcsPayload } from '../messages/gbcs-messages.js';

/**
 * A future-dated CS02b the device accepted (`30 02 05 00`) and holds until its execution
 * date-time (GBCS.md §7.8): the command as authenticated, so it runs later exactly as it would
 * have run at once, and what its 0x00CB outcome names. One at a time, as with 11.3's
 * future-dated activation (device-firmware-state.ts): a newer one replaces it.
 */
export interface HeldCredentialUpdate {
  /** The command without its execution date-time: what replaceCredentials runs when due. */
  readonly command: GbcsPayload;
  /** The execution date-time, ms since the epoch. */
  readonly at: number;
  /** The timer's number (FirmwareState.timerSeq, the device's one timer numbering): a stale timer is ignored. */
  readonly seq: number;
  /** The authorising party: 0x00CB goes back to it (GBCS.md §5.5). */
  readonly originator: Eui;
  /** The command's originator counter: 0x00CB's authorising remote party sequence number. */
  readonly counter: number;
}
