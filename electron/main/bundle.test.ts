/**
 * The main process bundled as scripts/build.mjs bundles it: in the packaged app it can load only
 * Electron, Node's built-ins and the production dependencies electron-builder packs — a
 * devDependency required at run time would crash the installed app on start.
 */
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('main process bundle', () => {
  it('requires only electron, Node built-ins and production dependencies', async () => {
    const result = await build({
      entryPoints: ['electron/main/index.ts'],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      packages: 'external',
      external: ['electron'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const imports = Object.values(result.metafile.outputs).flatMap((output) =>
      output.imports.filter((entry) => entry.external).map((entry) => entry.path),
    );
    const { dependencies } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const packageName = (path: string) =>
      path.startsWith('@') ? path.split('/').slice(0, 2).join('/') : path.split('/')[0]!;
    const unpacked = imports.filter(
      (path) => path !== 'electron' && !builtins.has(path) && !(packageName(path) in dependencies),
    );
    expect(imports).toContain('electron');
    expect(unpacked).toEqual([]);
  });
});
