/**
 * `logscope dump` run in-process for tests: its exit code, its JSON lines parsed, and what it
 * wrote to standard error.
 */
import { runDump } from '../dumpCommand';

export async function dumpLines(
  ...argv: string[]
): Promise<{ code: number; lines: Record<string, unknown>[]; stderr: string }> {
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  const code = await runDump(argv, {
    write: async (line) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
    error: (text) => {
      stderr += text;
    },
  });
  return { code, lines, stderr };
}
