/** kcat (librdkafka's command-line client, Debian package `kcat`) as a test client. */
import { spawn } from 'node:child_process';

export interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs kcat with `args`, writes `input` to its stdin, and resolves when it exits. kcat's own
 * timeouts end it; the test's timeout is the backstop.
 */
export function kcat(args: string[], input?: string | Buffer): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new Error(
          `kcat could not start (${error.message}): install it with \`apt-get install -y kcat\`.`,
        ),
      ),
    );
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** Runs kcat and fails with its stderr unless it exits 0. */
export async function kcatOk(args: string[], input?: string | Buffer): Promise<string> {
  const result = await kcat(args, input);
  if (result.code !== 0)
    throw new Error(`kcat ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result.stdout;
}
