/**
 * The `logscope` command line as a person meets it: help where they ask for it, and an error
 * that says where the options are listed. Runs the built launcher (bin/logscope.js).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/processes';

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'bin', 'logscope.js'), ...args],
      { timeout: 30_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
};

describe('logscope command line', () => {
  it('prints the usage for --help, before or after the command', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['serve', '-h']]) {
      const { code, stdout } = await run(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stdout).toMatch(/^Usage: logscope <command> \[options\]/);
      expect(stdout).toContain('--broker-port N');
    }
  });

  it('names an unknown option and where the options are listed, without starting anything', async () => {
    const { code, stdout, stderr } = await run('serve', '--no-such-option');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /Unknown option '--no-such-option'.*`logscope --help` lists the options/,
    );
    const unknown = await run('srve');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "srve"[\s\S]*Usage: logscope/);
  });
});
