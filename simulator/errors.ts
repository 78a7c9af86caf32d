/**
 * Faults (not expected domain rejections, which are returned values) throw a subclass of this,
 * with a stable code the CLI maps to an exit status and a message a user can act on.
 */
export class TrialsimError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bytes from the wire that are not a valid trialsim message. */
export class WireError extends TrialsimError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WIRE_MALFORMED', message, options);
  }
}
