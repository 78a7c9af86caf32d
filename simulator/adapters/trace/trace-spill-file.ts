import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { TraceEntry, TraceSpill } from '../../trace/message-trace.js';

/** Bytes read from the file at a time while reading entries back. */
const READ_BYTES = 1 << 20;
/** Every this many entries the file offset is noted, so a read starts near its first entry. */
const CHECKPOINT = 256;
const LENGTH_BYTES = 4;

/** Closes a spill's file when nothing refers to the spill any more (its trace is gone). */
const closeWhenUnreachable = new FinalizationRegistry<number>((fd) => closeSync(fd));

/**
 * A TraceSpill in a temporary file: each entry is one record, its length (4 bytes) and its v8
 * serialisation, the structured-clone form, so a Uint8Array, a Map or an undefined member of a
 * detail comes back as it went in, with its keys in their order (JSON would turn bytes into an
 * object of numbers and drop undefined). The file is removed as soon as it is open, so it takes
 * no name on the disk and goes with the process however the process ends; it is opened only
 * when the first entries are spilled, so a small trace never touches the disk.
 */
export class TraceSpillFile implements TraceSpill {
  private fd: number | undefined;
  private bytes = 0;
  private count = 0;
  /** The file offset of entry CHECKPOINT × i. */
  private readonly checkpoints: number[] = [];

  constructor(private readonly dir: string = tmpdir()) {}

  append(entries: readonly TraceEntry[]): void {
    if (entries.length === 0) return;
    const fd = this.open();
    const records: Buffer[] = [];
    let length = 0;
    for (const entry of entries) {
      if (this.count % CHECKPOINT === 0) this.checkpoints.push(this.bytes + length);
      const body = serialize(entry);
      const head = Buffer.allocUnsafe(LENGTH_BYTES);
      head.writeUInt32LE(body.length);
      records.push(head, body);
      length += LENGTH_BYTES + body.length;
      this.count++;
    }
    const chunk = Buffer.concat(records, length);
    for (let done = 0; done < chunk.length; ) {
      done += writeSync(fd, chunk, done, chunk.length - done, this.bytes + done);
    }
    this.bytes += length;
  }

  *read(from: number, to: number): Generator<TraceEntry, void, undefined> {
    const end = Math.min(to, this.count);
    if (this.fd === undefined || from >= end) return;
    const fd = this.fd;
    let index = Math.floor(from / CHECKPOINT) * CHECKPOINT;
    let position = this.checkpoints[index / CHECKPOINT] as number;
    let buffer = Buffer.alloc(0);
    let offset = 0;
    /** At least `need` unread bytes in `buffer` from `offset`. */
    const fill = (need: number) => {
      if (buffer.length - offset >= need) return;
      const rest = buffer.subarray(offset);
      const next = Buffer.allocUnsafe(Math.max(need, READ_BYTES));
      rest.copy(next);
      let filled = rest.length;
      while (filled < need) {
        const read = readSync(fd, next, filled, next.length - filled, position);
        if (read === 0) throw new Error(`trace spill: the file ends inside entry ${index + 1}`);
        filled += read;
        position += read;
      }
      buffer = next.subarray(0, filled);
      offset = 0;
    };
    for (; index < end; index++) {
      fill(LENGTH_BYTES);
      const length = buffer.readUInt32LE(offset);
      fill(LENGTH_BYTES + length);
      const body = buffer.subarray(offset + LENGTH_BYTES, offset + LENGTH_BYTES + length);
      offset += LENGTH_BYTES + length;
      // A copy: v8 deserialises a byte string as a view of its input, which would keep the whole
      // read buffer alive for as long as the entry is.
      if (index >= from) yield deserialize(Buffer.from(body)) as TraceEntry;
    }
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    const folder = mkdtempSync(join(this.dir, 'trialsim-trace-'));
    const fd = openSync(join(folder, 'spill'), 'w+', 0o600);
    // Unlinked while open: the data stays reachable through fd only, and no run leaves it behind.
    rmSync(folder, { recursive: true, force: true });
    this.fd = fd;
    closeWhenUnreachable.register(this, fd);
    return fd;
  }
}
