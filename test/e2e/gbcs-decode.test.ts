import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ARGS } from '../support/run-cli.js';

/** `trialsim gbcs decode` as a user runs it: bin/trialsim.js, or the sources where the build is stale (run-cli.ts). */
const ROOT = join(import.meta.dirname, '..', '..');
const VECTORS = join(ROOT, 'fixtures', 'test-vectors', 'gbcs');
const KEYS = join(VECTORS, 'keys');

function trialsim(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [...CLI_ARGS, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    input,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function rtdsHex(): { name: string; hex: string }[] {
  const dir = join(VECTORS, 'rtds-sample');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .filter((f) => f.endsWith('.HEX'))
        .map((f) => ({ name: `${d.name}/${f}`, hex: readFileSync(join(dir, d.name, f), 'utf8').trim() })),
    )
    .sort((a, b) => a.name.localeCompare(b.name));
}

describe('trialsim gbcs decode', () => {
  it('decodes every RTDS sample from stdin with --json, and every MAC and signature verifies with the keystore', () => {
    const samples = rtdsHex();
    const run = trialsim(
      ['gbcs', 'decode', '--keystore', KEYS, '--json'],
      `${samples.map((s) => s.hex).join('\n')}\n`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const objects = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(objects).toHaveLength(samples.length);
    for (const o of objects) {
      expect(['valid', 'absent']).toContain(o.mac);
      expect(['valid', 'absent']).toContain(o.signature);
      expect(o.mac === 'valid' || o.signature === 'valid' || o.preCommand).toBe(true);
    }
    const ecs52 = objects[samples.findIndex((s) => s.name.endsWith('ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX'))];
    expect(ecs52).toMatchObject({
      cra: 'command',
      originator: '90-B3-D5-1F-30-01-00-00',
      recipient: '00-DB-12-34-56-78-90-A0',
      counter: '1000',
      messageCode: '0x0059',
      useCase: 'ECS52',
      mac: 'valid',
      signature: 'absent',
    });
    const ecs52Response =
      objects[samples.findIndex((s) => s.name.endsWith('ECS52_11.2_SUCCESS_RESPONSE_GBCS.HEX'))];
    expect(ecs52Response.payload.fields).toEqual({ firmwareVersion: '0123ABCD', result: 0 });
    const ecs17b =
      objects[samples.findIndex((s) => s.name.endsWith('ECS17b_4.1.1_SINGLE_SUCCESS_RESPONSE_GBCS.HEX'))];
    expect(ecs17b.payload.fields.registers).not.toBeNull();
    const ccs01 = objects[samples.findIndex((s) => s.name.endsWith('CCS01_8.11_SUCCESS_COMMAND_GBCS.HEX'))];
    expect(ccs01).toMatchObject({
      supplementaryRemotePartyId: '90-B3-D5-1F-30-01-00-00',
      supplementaryRemotePartyCounter: '1002',
    });
  });

  it('without a keystore the MAC and signature are unknown; base64 input works too', () => {
    const ecs70 = rtdsHex().find((s) => s.name.endsWith('ECS70Commission_8.1.1_SUCCESS_COMMAND_GBCS.HEX'));
    if (!ecs70) throw new Error('sample missing');
    const run = trialsim(['gbcs', 'decode', '--json', Buffer.from(ecs70.hex, 'hex').toString('base64')]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ useCase: 'ECS70', mac: 'unknown', signature: 'unknown' });
  });

  it('human output shows the fields with their offsets and the verdicts', () => {
    const run = trialsim([
      'gbcs',
      'decode',
      '--keystore',
      KEYS,
      '--file',
      join(VECTORS, 'rtds-sample/11.2_ECS52/ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /ECS52 Read ESME\/Comms Hub Firmware Version \(0x0059\), command, counter 1000/,
    );
    expect(run.stdout).toMatch(/^\s+67\s+12\s+MAC\s+A2 5A 51 A9/m);
    expect(run.stdout).toMatch(/MAC\s+valid/);
  });

  it('a tampered message decodes but its MAC is invalid: exit 1', () => {
    const ecs52 = rtdsHex().find((s) => s.name.endsWith('ECS52_11.2_SUCCESS_COMMAND_GBCS.HEX'));
    if (!ecs52) throw new Error('sample missing');
    const tampered = `${ecs52.hex.slice(0, -2)}00`;
    const run = trialsim(['gbcs', 'decode', '--keystore', KEYS, '--json', tampered]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).mac).toBe('invalid');
  });

  it('bad input: a clear error naming the byte offset, exit 2', () => {
    const run = trialsim(['gbcs', 'decode', 'DF090400000000000003E8']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      'trialsim: message 1: GBCS malformed at byte offset 2 (CRA flag): 0x04 is not 01 (command), 02 (response) or 03 (alert)',
    );
    const notHex = trialsim(['gbcs', 'decode', 'not a message!']);
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toMatch(/neither hex nor base64/);
    // Not hex, so read as base64 ("zz" is 0xCF): the error says so, since the user may have meant hex.
    const typo = trialsim(['gbcs', 'decode', 'zz']);
    expect(typo.code).toBe(2);
    expect(typo.stderr.trim()).toBe(
      'trialsim: message 1 (read as base64: the text is not hex): GBCS malformed at byte offset 0 (message): first byte 0xCF is neither 0xDD (MAC header) nor 0xDF (general-signing)',
    );
  });

  it('--help says what the input, keystore and exit statuses are', () => {
    const run = trialsim(['gbcs', 'decode', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--keystore <dir>/);
    expect(run.stdout).toMatch(/--acb <eui>/);
    expect(run.stdout).toMatch(/one message a\s+line/);
    expect(run.stdout).toMatch(/2\s+bad input/);
  });
});
