/**
 * `logscope` — the command line of the Logscope app.
 *
 *   logscope serve [--port 0] [--host 127.0.0.1] [--allow-remote] [--data-dir DIR] [--no-open]
 *                  [--broker-port 9092] [--no-broker] [--broker-config KEY=VALUE]…
 *   logscope dump PATH [--records|--batches|--offsets-only] [--from-offset N] [--to-offset N]
 *                      [--validate]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir, requireBuilt } from './paths';
import { serve } from './serve';

const USAGE = `Usage: logscope <command> [options]

Commands:
  serve     Start the local broker and the engine, and serve the UI to a browser.
            --port N            engine/UI port on the host (default 0: any free port)
            --host ADDR         address to listen on (default 127.0.0.1)
            --allow-remote      allow a --host other than loopback (the token is still needed)
            --data-dir DIR      where the broker's log and the engine's settings live
                                (default ${defaultDataDir()})
            --no-open           do not open a browser
            --token TOKEN       use this API token instead of a random one (or LOGSCOPE_TOKEN)
            --broker-port N     Kafka port of the local broker (default 9092, or a free one if taken)
            --broker-config K=V a broker setting in server.properties terms (repeatable)
            --no-broker         run without the local broker
            --demo-live         keep producing to the demo topics, so live views move
            --no-demo           do not create the demo topics
            --secrets-key-file F  keep cluster passwords and keys encrypted on disk with the key
                                in F (created if missing); without it they stay in memory
  dump PATH Print the batches and records of Kafka log files (a .log segment, a KRaft
            snapshot .checkpoint, a partition directory or a log directory) as JSON Lines;
            no broker needed. \`logscope dump --help\` says more.
            --records | --batches | --offsets-only   what to print (default: both)
            --from-offset N, --to-offset N           an offset range
            --validate          check CRCs only, print a summary, exit 1 on damage
`;

function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${flag} ${text} is not a port number`);
  return port;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === 'dump') {
    const dump = (await import(pathToFileURL(requireBuilt('engine/dump.js')).href)) as {
      runDump(argv: string[]): Promise<number>;
    };
    process.exitCode = await dump.runDump(rest);
    return;
  }
  if (command !== 'serve') throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'allow-remote': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      open: { type: 'boolean', default: true },
      'no-open': { type: 'boolean', default: false },
      token: { type: 'string' },
      'broker-port': { type: 'string', default: '9092' },
      'broker-config': { type: 'string', multiple: true, default: [] },
      'no-broker': { type: 'boolean', default: false },
      'demo-live': { type: 'boolean', default: false },
      'no-demo': { type: 'boolean', default: false },
      'secrets-key-file': { type: 'string' },
    },
    strict: true,
  });
  const token = values.token ?? process.env.LOGSCOPE_TOKEN;
  if (token !== undefined && token.length < 16)
    throw new Error('--token must be at least 16 characters');
  await serve({
    host: values.host,
    port: parsePort(values.port, '--port'),
    allowRemote: values['allow-remote'],
    dataDir: values['data-dir'] ?? defaultDataDir(),
    open: values.open && !values['no-open'],
    token,
    brokerPort: parsePort(values['broker-port'], '--broker-port'),
    broker: !values['no-broker'],
    brokerConfig: values['broker-config'],
    demoLive: values['demo-live'],
    demo: !values['no-demo'],
    secretsKeyFile: values['secrets-key-file'],
  });
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // node:util parseArgs names the bad option but not where the good ones are listed.
  const hint =
    (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      ? ' (`logscope --help` lists the options)'
      : '';
  process.stderr.write(`logscope: ${message}${hint}\n`);
  process.exit(2);
});
