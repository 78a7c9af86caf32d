import { autoDetect } from '@serialport/bindings-cpp';
import { type OpenOptions, SerialPortStream } from '@serialport/stream';
import { TrialsimError } from '../../errors.js';
import {
  DEFAULT_MAX_FRAME_BODY,
  encodeFrame,
  FrameDecoder,
  type FrameType,
  type FramingError,
} from './serial-frame.js';

/** @serialport/bindings-interface has no types under nodenext; the stream package names the same type. */
export type SerialBinding = OpenOptions['binding'];

export interface SerialLinkOptions {
  readonly path: string;
  readonly baudRate: number;
  /** Defaults to the native binding; tests pass MockBinding. */
  readonly binding?: SerialBinding;
  readonly maxBody?: number;
  /** Real-time delays between reopen attempts after the port closed; the last one repeats. */
  readonly reopenDelaysMs?: readonly number[];
}

export type SerialLinkEvent =
  | { readonly type: 'opened'; readonly reopen: boolean }
  | { readonly type: 'closed'; readonly reason: string }
  | { readonly type: 'reopenFailed'; readonly reason: string }
  | { readonly type: 'framingError'; readonly error: FramingError };

export interface SerialLinkStats {
  framesIn: number;
  framesOut: number;
  framingErrors: number;
  /** Per kind (`crc`, `cobs`, `oversize` …). */
  errorsByKind: Record<string, number>;
  reopens: number;
}

export type FrameHandler = (type: FrameType, body: Uint8Array) => void;

const DEFAULT_REOPEN_DELAYS_MS = [50, 100, 250, 500, 1000];

/**
 * One serial port carrying COBS/CRC-32 frames (PROTOCOL.md §9). It survives the far end
 * resetting: when the port closes (a USB device re-enumerating, a pty whose owner restarted)
 * it reopens the same path until that works again, and drops any half-received frame.
 */
export class SerialLink {
  readonly stats: SerialLinkStats = {
    framesIn: 0,
    framesOut: 0,
    framingErrors: 0,
    errorsByKind: {},
    reopens: 0,
  };
  private port: SerialPortStream | undefined;
  private readonly decoder: FrameDecoder;
  private readonly binding: SerialBinding;
  private frameHandlers: FrameHandler[] = [];
  private eventHandlers: ((event: SerialLinkEvent) => void)[] = [];
  private closedByUs = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private attempt = 0;

  private constructor(private readonly options: SerialLinkOptions) {
    this.decoder = new FrameDecoder(options.maxBody ?? DEFAULT_MAX_FRAME_BODY);
    this.binding = options.binding ?? (autoDetect() as SerialBinding);
  }

  /** Opens the port; throws SERIAL_OPEN_FAILED if it cannot be opened now. */
  static async open(options: SerialLinkOptions): Promise<SerialLink> {
    const link = new SerialLink(options);
    try {
      await link.openPort(false);
    } catch (cause) {
      throw new TrialsimError(
        'SERIAL_OPEN_FAILED',
        `cannot open serial port ${options.path} at ${options.baudRate} baud: ${(cause as Error).message}`,
        { cause },
      );
    }
    return link;
  }

  get isOpen(): boolean {
    return this.port?.isOpen ?? false;
  }

  onFrame(handler: FrameHandler): void {
    this.frameHandlers.push(handler);
  }

  onEvent(handler: (event: SerialLinkEvent) => void): void {
    this.eventHandlers.push(handler);
  }

  /** Writes one frame; throws SERIAL_DOWN while the port is closed (the caller decides to drop). */
  async send(type: FrameType, body: Uint8Array): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      throw new TrialsimError('SERIAL_DOWN', `serial port ${this.options.path} is not open`);
    }
    const bytes = encodeFrame(type, body);
    await new Promise<void>((resolve, reject) => {
      port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) =>
        err
          ? reject(
              new TrialsimError('SERIAL_WRITE_FAILED', `write to ${this.options.path}: ${err.message}`, {
                cause: err,
              }),
            )
          : resolve(),
      );
    });
    this.stats.framesOut++;
  }

  async close(): Promise<void> {
    this.closedByUs = true;
    clearTimeout(this.reopenTimer);
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private openPort(reopen: boolean): Promise<void> {
    const port = new SerialPortStream({
      binding: this.binding,
      path: this.options.path,
      baudRate: this.options.baudRate,
      autoOpen: false,
    });
    return new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) {
          port.removeAllListeners();
          reject(err);
          return;
        }
        if (this.closedByUs) {
          port.close();
          resolve();
          return;
        }
        this.port = port;
        this.attempt = 0;
        this.decoder.reset();
        port.on('data', (chunk: Buffer) => this.onData(chunk));
        // 'error' without 'close' (a failed write) changes nothing; a dead port also closes.
        port.on('error', () => undefined);
        port.on('close', (closeErr: Error | null) => this.onClosed(port, closeErr?.message ?? 'closed'));
        this.emit({ type: 'opened', reopen });
        resolve();
      });
    });
  }

  private onData(chunk: Buffer): void {
    for (const item of this.decoder.push(chunk)) {
      if (item.kind === 'error') {
        this.stats.framingErrors++;
        this.stats.errorsByKind[item.error.kind] = (this.stats.errorsByKind[item.error.kind] ?? 0) + 1;
        this.emit({ type: 'framingError', error: item.error });
        continue;
      }
      this.stats.framesIn++;
      for (const handler of this.frameHandlers) handler(item.type, item.body);
    }
  }

  private onClosed(port: SerialPortStream, reason: string): void {
    port.removeAllListeners();
    if (this.port === port) this.port = undefined;
    if (this.closedByUs) return;
    this.emit({ type: 'closed', reason });
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    const delays = this.options.reopenDelaysMs ?? DEFAULT_REOPEN_DELAYS_MS;
    const delay = delays[Math.min(this.attempt, delays.length - 1)] ?? 1000;
    this.attempt++;
    this.reopenTimer = setTimeout(() => {
      if (this.closedByUs) return;
      this.openPort(true).then(
        () => {
          this.stats.reopens++;
        },
        (err: Error) => {
          this.emit({ type: 'reopenFailed', reason: err.message });
          this.scheduleReopen();
        },
      );
    }, delay);
  }

  private emit(event: SerialLinkEvent): void {
    for (const handler of this.eventHandlers) handler(event);
  }
}
