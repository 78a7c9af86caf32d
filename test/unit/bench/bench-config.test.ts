import { describe, expect, it } from 'vitest';
import { BenchUsageError, parseBenchArgs, wantsHelp } from '../../../bench/bench-config.js';

describe('npm run bench: its command line', () => {
  it('--quick keeps the full run’s shape (SRs in flight, devices) on smaller workloads', () => {
    const full = parseBenchArgs([]);
    const quick = parseBenchArgs(['--quick']);
    expect(quick.quick).toBe(true);
    expect(quick.throughput.window).toBe(full.throughput.window);
    expect(quick.throughput.devices).toBe(full.throughput.devices);
    expect(quick.throughput.requests).toBeLessThan(full.throughput.requests);
    expect(quick.scale.fleetDevices).toBeLessThan(full.scale.fleetDevices);
  });

  it('interleaves at least 5 rounds, full or --quick, so every ratio is a median of 5 or more', () => {
    expect(parseBenchArgs([]).rounds).toBeGreaterThanOrEqual(5);
    expect(parseBenchArgs(['--quick']).rounds).toBeGreaterThanOrEqual(5);
  });

  it('--write regenerates the documents from a full run only: with --quick it is a usage error', () => {
    expect(parseBenchArgs(['--write']).write).toBe(true);
    expect(parseBenchArgs([]).write).toBe(false);
    expect(() => parseBenchArgs(['--quick', '--write'])).toThrow(/--write records final figures/);
  });

  it('the scale trial is 10,000 devices in the full run', () => {
    expect(parseBenchArgs([]).trialDevices).toBe(10_000);
    expect(parseBenchArgs(['--quick']).trialDevices).toBeLessThan(10_000);
  });

  it('takes --broker and --json with their values', () => {
    const config = parseBenchArgs(['--broker', 'mqtt://broker:1883', '--json', 'out.json']);
    expect(config.scale.brokerUrl).toBe('mqtt://broker:1883');
    expect(config.jsonFile).toBe('out.json');
  });

  it('a wrong command line is a usage error saying what to fix, with the usage line', () => {
    for (const [args, said] of [
      [['--bogus'], /unknown option --bogus/],
      [['stray'], /unexpected stray/],
      [['--json'], /--json needs a value/],
      [['--broker', 'http://x'], /--broker needs mqtt:\/\/host:port/],
    ] as const) {
      expect(() => parseBenchArgs(args)).toThrow(BenchUsageError);
      expect(() => parseBenchArgs(args)).toThrow(said);
      expect(() => parseBenchArgs(args)).toThrow(/usage: npm run bench --/);
    }
  });

  it('--help and -h ask for the help text', () => {
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--quick', '-h'])).toBe(true);
    expect(wantsHelp(['--quick'])).toBe(false);
  });
});
