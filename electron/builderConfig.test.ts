/**
 * electron-builder.yml, checked without building: electron-builder's own schema accepts it, it
 * makes the installers the issue asks for, it flips the fuses, and the native binaries that the
 * production dependencies actually contain are unpacked from asar — the right platform's only.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Configuration, PlatformSpecificBuildOptions } from 'electron-builder';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;

// electron-builder's own validator and matcher, so the test judges the file as `npm run dist` will.
const requireFromBuilder = createRequire(
  createRequire(import.meta.url).resolve('app-builder-lib/package.json', {
    paths: [dirname(createRequire(import.meta.url).resolve('electron-builder'))],
  }),
);
const { validateConfiguration } = requireFromBuilder('./out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { Minimatch } = requireFromBuilder('minimatch') as {
  Minimatch: new (
    pattern: string,
    options: { dot: boolean },
  ) => { negate: boolean; match(path: string): boolean };
};

type Pattern = InstanceType<typeof Minimatch>;
const compile = (patterns: string[]): Pattern[] =>
  patterns.map((pattern) => new Minimatch(pattern, { dot: true }));

/** electron-builder's rule for app files: patterns in order, a later one can undo an earlier. */
function matchesInOrder(path: string, patterns: Pattern[]): boolean {
  let match = false;
  for (const pattern of patterns) {
    if (match !== pattern.negate) continue;
    match = pattern.match(path);
  }
  return match;
}

const stringPatterns = (patterns: PlatformSpecificBuildOptions['files']): string[] =>
  (patterns === undefined || patterns === null
    ? []
    : Array.isArray(patterns)
      ? patterns
      : [patterns]
  ).filter((pattern): pattern is string => typeof pattern === 'string');

/**
 * For node_modules electron-builder uses only the exclusions of `files` (top level, then the
 * platform's): a module file is packed unless one of them matches.
 */
function packedModuleFile(path: string, platform: PlatformSpecificBuildOptions | undefined) {
  const exclusions = [...stringPatterns(config.files), ...stringPatterns(platform?.files)]
    .filter((pattern) => pattern.startsWith('!'))
    .map((pattern) => new Minimatch(pattern.slice(1), { dot: true }));
  return !exclusions.some((pattern) => pattern.match(path));
}

/** Directories of the production dependencies, transitively, as npm installed them. */
function productionPackages(): string[] {
  const found = new Set<string>();
  const visit = (fromDir: string, names: string[]) => {
    for (const name of names) {
      let dir = fromDir;
      let packageDir: string | null = null;
      for (;;) {
        const candidate = join(dir, 'node_modules', name);
        if (existsSync(join(candidate, 'package.json'))) {
          packageDir = candidate;
          break;
        }
        if (dir === root || dirname(dir) === dir) break;
        dir = dirname(dir);
      }
      if (packageDir === null || found.has(packageDir)) continue;
      found.add(packageDir);
      const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      visit(packageDir, [
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.optionalDependencies ?? {}),
      ]);
    }
  };
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  visit(root, Object.keys(manifest.dependencies));
  return [...found];
}

function nativeBinaries(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.node') && !file.split(sep).includes('node_modules'))
    .filter((file) => statSync(join(dir, file)).isFile())
    .map((file) => relative(root, join(dir, file)).split(sep).join('/'));
}

const nativeFiles = productionPackages().flatMap(nativeBinaries);

describe('electron-builder.yml', () => {
  it('is accepted by electron-builder’s own configuration schema', async () => {
    await expect(
      validateConfiguration(config, { isEnabled: false, add: () => {} }),
    ).resolves.toBeUndefined();
  }, 60_000); // compiling electron-builder's large JSON schema is slow on a busy machine

  it('names the app and builds AppImage, deb, NSIS and dmg for x64 (and arm64 on macOS)', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('Logscope');
    const targets = (platform: PlatformSpecificBuildOptions | null | undefined) =>
      Object.fromEntries(
        ((platform as { target?: { target: string; arch: string[] }[] })?.target ?? []).map(
          (target) => [target.target, [...target.arch].sort()],
        ),
      );
    expect(targets(config.linux)).toEqual({ AppImage: ['x64'], deb: ['x64'] });
    expect(targets(config.win)).toEqual({ nsis: ['x64'] });
    expect(targets(config.mac)).toEqual({ dmg: ['arm64', 'x64'] });
  });

  it('flips the fuses that close Node-style backdoors into the packaged app', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
    });
    expect(config.asar).not.toBe(false);
  });

  it('packs the main process, the preload, the broker, the engine and the renderer', () => {
    const files = compile(stringPatterns(config.files));
    const main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string })
      .main;
    for (const path of [
      'package.json',
      main,
      'dist/electron/preload.cjs',
      'dist/broker/cli.js',
      'dist/engine/cli.js',
      'dist/renderer/index.html',
      'dist/renderer/assets/index.js',
    ]) {
      expect(matchesInOrder(path, files), path).toBe(true);
    }
    for (const path of ['dist/engine/cli.js.map', 'electron/main/index.ts', 'bench/x.ts']) {
      expect(matchesInOrder(path, files), path).toBe(false);
    }
  });

  it('unpacks every native binary the production dependencies contain', () => {
    // classic-level ships prebuilt binaries; if none are found the check below proves nothing.
    expect(nativeFiles.some((file) => file.includes('node_modules/classic-level/prebuilds/'))).toBe(
      true,
    );
    const unpack = compile(
      Array.isArray(config.asarUnpack) ? config.asarUnpack : [config.asarUnpack ?? ''],
    );
    const missed = nativeFiles.filter((file) => !unpack.some((pattern) => pattern.match(file)));
    expect(missed).toEqual([]);
    // The N-API prebuilds are used as they are, never rebuilt against Electron's headers.
    expect(config.npmRebuild).toBe(false);
  });

  it.each([
    ['linux', 'x64', 'linux-x64'],
    ['win', 'x64', 'win32-x64'],
    ['mac', 'x64', 'darwin-x64+arm64'],
    ['mac', 'arm64', 'darwin-x64+arm64'],
  ] as const)('a %s %s build packs classic-level’s %s binary and no other', (os, arch, dir) => {
    const platform = config[os] ?? undefined;
    const built = (platform as { target: { arch: string[] }[] }).target.flatMap((t) => t.arch);
    expect(built).toContain(arch);
    const classicLevel = nativeFiles.filter((file) => file.includes('/classic-level/prebuilds/'));
    const packed = classicLevel.filter((file) => packedModuleFile(file, platform));
    const prefix = `node_modules/classic-level/prebuilds/${dir}/`;
    expect(packed.length).toBeGreaterThan(0);
    expect(packed.filter((file) => !file.startsWith(prefix))).toEqual([]);
    expect(packed).toEqual(classicLevel.filter((file) => file.startsWith(prefix)));
  });

  it('has the icons it names', () => {
    const resources = join(root, config.directories?.buildResources ?? 'build');
    expect(existsSync(join(root, String(config.win?.icon)))).toBe(true);
    expect(existsSync(join(root, String(config.mac?.icon)))).toBe(true);
    const linuxIcons = readdirSync(join(root, String(config.linux?.icon)));
    expect(linuxIcons).toEqual(expect.arrayContaining(['256x256.png', '512x512.png']));
    expect(existsSync(join(resources, 'icon.png'))).toBe(true);
  });
});
