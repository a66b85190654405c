/** Where Logscope keeps its data, and where the built bundles sit next to this one. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import envPaths from 'env-paths';

/** The platform's per-user data directory: `~/.local/share/logscope` on Linux. */
export function defaultDataDir(): string {
  return envPaths('logscope', { suffix: '' }).data;
}

/** A file of the build, relative to `dist/`; this module is bundled into `dist/launcher/`. */
export function distPath(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

export function requireBuilt(relative: string): string {
  const path = distPath(relative);
  if (!existsSync(path)) {
    throw new Error(`${path} is missing: run \`npm run build\` first.`);
  }
  return path;
}
