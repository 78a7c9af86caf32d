import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withProjectDefaults } from '../../../../harness/cli/project-defaults.js';
import { findProjectConfig, loadProjectConfig } from '../../../../harness/project/project-config.js';
import { didYouMean } from '../../../../harness/scenario/did-you-mean.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trialsim-config-'));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function config(text: string): Promise<string> {
  const file = join(dir, 'trialsim.config.json');
  await writeFile(file, text);
  return file;
}

describe('project config (trialsim.config.json)', () => {
  it('is found from a folder below it, upward', async () => {
    const file = await config('{}');
    expect(findProjectConfig(join(dir, 'a', 'b'))).toBe(file);
  });

  it('paths in it are relative to the file, not the working folder', async () => {
    const file = await config('{"out": "ev", "scenarios": ["s", "t/*.yaml"], "seed": "x"}');
    const loaded = await loadProjectConfig(file);
    expect(loaded.values.out).toBe(join(dir, 'ev'));
    expect(loaded.values.scenarios).toEqual([join(dir, 's'), join(dir, 't/*.yaml')]);
    expect(loaded.values.seed).toBe('x');
  });

  it('an unknown key is an error naming the key, file:line:col and the nearest known key', async () => {
    const file = await config('{\n  "out": "ev",\n    "paralel": 2\n}');
    await expect(loadProjectConfig(file)).rejects.toThrow(
      `${file}:3:5: unknown key "paralel" (did you mean "parallel"?)`,
    );
  });

  it('a value of the wrong kind names its key and line', async () => {
    const file = await config('{\n  "parallel": "two"\n}');
    await expect(loadProjectConfig(file)).rejects.toThrow(`${file}:2:3: parallel:`);
    const broker = await config('{"broker": "localhost:1883"}');
    await expect(loadProjectConfig(broker)).rejects.toThrow(/broker: an MQTT broker URL/);
  });

  it('text that is not JSON is refused with its position', async () => {
    const file = await config('{"out": ');
    await expect(loadProjectConfig(file)).rejects.toThrow(/trialsim\.config\.json:1:\d+: not valid JSON/);
  });
});

describe('command-line flags win over the project config', () => {
  const command = () =>
    new Command('run')
      .exitOverride()
      .argument('[paths...]')
      .option('--seed <seed>', '', 'public')
      .option('--out <dir>', '', 'evidence')
      .option('--parallel <n>', '', (v) => Number(v), 1)
      .option('--config <file>')
      .action(() => undefined);

  it('a default gives way to the file, a flag does not; the file’s scenarios stand in for no paths', async () => {
    const file = await config('{"seed": "from-file", "out": "file-ev", "parallel": 3, "scenarios": ["s"]}');
    const cmd = command();
    cmd.parse(['--seed', 'from-flag', '--config', file], { from: 'user' });
    const merged = await withProjectDefaults(
      cmd,
      cmd.args,
      cmd.opts() as { seed: string; out: string; parallel: number; config: string },
    );
    expect(merged.opts.seed).toBe('from-flag');
    expect(merged.opts.out).toBe(join(dir, 'file-ev'));
    expect(merged.opts.parallel).toBe(3);
    expect(merged.paths).toEqual([join(dir, 's')]);
    const withPaths = command();
    withPaths.parse(['x.yaml', '--config', file], { from: 'user' });
    expect((await withProjectDefaults(withPaths, withPaths.args, withPaths.opts())).paths).toEqual([
      'x.yaml',
    ]);
  });

  it('--config naming a missing file is an error', async () => {
    const cmd = command();
    cmd.parse(['--config', join(dir, 'nope.json')], { from: 'user' });
    await expect(withProjectDefaults(cmd, [], cmd.opts())).rejects.toThrow(
      /nope\.json: config file not found/,
    );
  });
});

describe('did you mean', () => {
  it('offers the nearest word only when it is close (a swap counts once)', () => {
    expect(didYouMean('dya', ['day', 'days', 'week'])).toBe('day');
    expect(didYouMean('paralel', ['parallel', 'seed'])).toBe('parallel');
    expect(didYouMean('zzzzzz', ['parallel', 'seed'])).toBeUndefined();
  });
});
