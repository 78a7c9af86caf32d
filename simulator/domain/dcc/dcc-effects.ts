import type { Eui } from '../eui.js';
import type { DccAlert, ServiceResponse } from '../messages/duis-messages.js';
import type { GbcsFrame } from '../messages/gbcs-messages.js';

/** What the DCC core asks the outside world to do; the DCC node carries these out. */
export type DccEffect =
  | { readonly type: 'serviceResponse'; readonly user: Eui; readonly message: ServiceResponse }
  | { readonly type: 'dccAlert'; readonly user: Eui; readonly message: DccAlert }
  | { readonly type: 'toDevice'; readonly device: Eui; readonly frame: GbcsFrame }
  | { readonly type: 'schedule'; readonly at: number; readonly timer: DccTimer }
  /** Something the DCC noticed and dropped (an unsolicited or unauthentic device message). */
  | { readonly type: 'notice'; readonly detail: string };

export type DccTimer =
  | { readonly type: 'responseDeadline'; readonly key: string }
  | { readonly type: 'trialEnd'; readonly trialId: string }
  /** A future-dated 6.23's execution date-time (change-of-supplier.ts). */
  | { readonly type: 'futureDatedCoS'; readonly requestId: string };
