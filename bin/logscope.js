#!/usr/bin/env node
// `logscope`: runs the built launcher (npm run build puts it in dist/).
import { existsSync } from 'node:fs';

const launcher = new URL('../dist/launcher/cli.js', import.meta.url);
if (!existsSync(launcher)) {
  process.stderr.write('logscope: the app is not built yet. Run `npm run build` first.\n');
  process.exit(2);
}
await import(launcher.href);
