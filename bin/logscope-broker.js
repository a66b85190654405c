#!/usr/bin/env node
// `logscope-broker`: runs the built broker (npm run build puts it in dist/).
import { existsSync } from 'node:fs';

const broker = new URL('../dist/broker/cli.js', import.meta.url);
if (!existsSync(broker)) {
  process.stderr.write(
    'logscope-broker: the broker is not built yet. Run `npm run build` first.\n',
  );
  process.exit(2);
}
await import(broker.href);
