import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import {
  buildKeyStore,
  type Eui,
  formatInspection,
  GbcsDecodeError,
  type GbcsKeyStore,
  inspectGbcsMessage,
  parseEui,
  SharedSecretCache,
} from '../../../simulator/domain/index.js';
import { TrialsimError } from '../../../simulator/errors.js';
import { EXIT } from '../exit-codes.js';

/** The DCC ACB of the RTDS and DCC Boxed test systems. */
const DEFAULT_ACB = '90-B3-D5-1F-30-00-00-02';

const HELP = `
Input: each MESSAGE argument is one GBCS message as hex (spaces and colons allowed) or base64.
Without MESSAGE and --file, messages are read from stdin. In a file or on stdin: one message a
line; empty lines and lines starting with # are skipped.

The keystore folder holds PEM certificates (.pem, .crt) and PKCS#8 private keys (.key, .pem).
The EUI and key usage (DS or KA) are read from each certificate; a private key belongs to the
certificate with its public key. A MAC is checked with one side's KA private key and the other
side's KA certificate; a signature with the originator's DS certificate.

Exit status:
  0  every message decoded, and no MAC or signature was invalid
  1  a MAC or signature was invalid
  2  bad input: a message that is not GBCS (the error names the byte offset), or a bad option

Examples:
  trialsim gbcs decode DD000000000000471100000000DF0901…
  trialsim gbcs decode --file messages.hex --keystore keys/ --json
  cat messages.b64 | trialsim gbcs decode --keystore keys/`;

interface DecodeOptions {
  file?: string;
  keystore?: string;
  acb: Eui;
  json?: boolean;
}

export function registerGbcsCommand(program: Command, exit: (code: number) => void): void {
  const gbcs = program.command('gbcs').description('work with GBCS application-layer APDUs');
  gbcs
    .command('decode')
    .description(
      'decode GBCS messages (MAC header, grouping header, payload) and check their MACs and signatures',
    )
    .argument('[message...]', 'messages as hex or base64')
    .option('-f, --file <path>', 'read messages from a file, one a line')
    .option(
      '-k, --keystore <dir>',
      'folder of PEM certificates and private keys to check MACs and signatures with',
    )
    .option(
      '--acb <eui>',
      'EUI of the Access Control Broker that MACs commands',
      parseEuiOption,
      parseEui(DEFAULT_ACB),
    )
    .option('--json', 'print one JSON object per message, one a line')
    .addHelpText('after', HELP)
    .action(async (messages: string[], opts: DecodeOptions) => {
      exit(await decodeCommand(messages, opts));
    });
}

function parseEuiOption(value: string): Eui {
  try {
    return parseEui(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

async function decodeCommand(messages: string[], opts: DecodeOptions): Promise<number> {
  const lines = await inputLines(messages, opts.file);
  const keys = opts.keystore === undefined ? undefined : await loadKeyStore(opts.keystore);
  const secrets = new SharedSecretCache();
  let code: number = EXIT.passed;
  let shown = 0;
  for (const { text, where } of lines) {
    let bytes: Uint8Array;
    let readAs: MessageText['readAs'];
    try {
      ({ bytes, readAs } = parseMessageText(text));
    } catch (err) {
      process.stderr.write(`trialsim: ${where}: ${(err as Error).message}\n`);
      code = EXIT.usage;
      continue;
    }
    try {
      const inspection = inspectGbcsMessage(
        bytes,
        keys ? { keys, acb: opts.acb, secrets } : { acb: opts.acb },
      );
      if (opts.json) process.stdout.write(`${JSON.stringify(inspection.json)}\n`);
      else process.stdout.write(`${shown > 0 ? '\n' : ''}${formatInspection(inspection, where)}\n`);
      shown++;
      if (inspection.payloadError !== null) {
        process.stderr.write(`trialsim: ${where}: ${inspection.payloadError.message}\n`);
        code = EXIT.usage;
      } else if (
        (inspection.mac === 'invalid' || inspection.signature === 'invalid') &&
        code === EXIT.passed
      ) {
        code = EXIT.failed;
      }
    } catch (err) {
      if (!(err instanceof GbcsDecodeError)) throw err;
      // Text that is not hex is read as base64: a user who meant hex (a typo, a stray letter)
      // must hear that, not only a byte the base64 reading made up.
      const reading = readAs === 'base64' ? ' (read as base64: the text is not hex)' : '';
      process.stderr.write(`trialsim: ${where}${reading}: ${err.message}\n`);
      code = EXIT.usage;
    }
  }
  if (lines.length === 0) {
    process.stderr.write('trialsim: no GBCS message given (pass hex or base64, --file, or pipe to stdin)\n');
    return EXIT.usage;
  }
  return code;
}

interface InputLine {
  readonly text: string;
  /** "message 2" or "messages.hex:5", for error messages. */
  readonly where: string;
}

async function inputLines(messages: string[], file: string | undefined): Promise<InputLine[]> {
  if (messages.length > 0) return messages.map((text, i) => ({ text, where: `message ${i + 1}` }));
  let text: string;
  let name: string;
  if (file !== undefined) {
    try {
      text = await readFile(file, 'utf8');
    } catch (cause) {
      throw new TrialsimError('USAGE', `cannot read --file ${file}: ${(cause as Error).message}`, { cause });
    }
    name = file;
  } else {
    text = await readStdin();
    name = 'stdin';
  }
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ text: line.trim(), where: `${name}:${i + 1}` }))
    .filter((line) => line.text !== '' && !line.text.startsWith('#'));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface MessageText {
  readonly bytes: Uint8Array;
  readonly readAs: 'hex' | 'base64';
}

/** Hex (with optional spaces, colons or a 0x prefix) when it looks like hex, else base64. */
export function parseMessageText(text: string): MessageText {
  const compact = text.replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (/^[0-9A-Fa-f]*$/.test(compact)) {
    if (compact.length % 2 !== 0)
      throw new Error(`hex input has an odd number of digits (${compact.length})`);
    return { bytes: Uint8Array.from(Buffer.from(compact, 'hex')), readAs: 'hex' };
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    throw new Error('input is neither hex nor base64');
  }
  const encoding = compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64';
  return { bytes: Uint8Array.from(Buffer.from(compact, encoding)), readAs: 'base64' };
}

async function loadKeyStore(dir: string): Promise<GbcsKeyStore> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.(pem|crt|cer|key)$/i.test(n)).sort();
  } catch (cause) {
    throw new TrialsimError('USAGE', `cannot read --keystore ${dir}: ${(cause as Error).message}`, { cause });
  }
  const sources = await Promise.all(
    names.map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })),
  );
  try {
    return buildKeyStore(sources);
  } catch (err) {
    if (err instanceof TrialsimError)
      throw new TrialsimError('USAGE', `--keystore ${dir}: ${err.message}`, { cause: err });
    throw err;
  }
}
