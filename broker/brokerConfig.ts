/**
 * Broker settings in Kafka's own `server.properties` terms, so a Kafka user configures
 * `logscope-broker` the way they configure Kafka: `--config KEY=VALUE` (repeatable) and
 * `--config-file server.properties`. An unknown key or a bad value is an error that names the
 * key and where it came from — never a silent default.
 */

export interface Listener {
  host: string;
  port: number;
}

export interface BrokerConfig {
  nodeId: number;
  /** Where clients are told to connect (Metadata); default: the address the broker listens on. */
  advertisedListener: Listener | null;
  numPartitions: number;
  autoCreateTopics: boolean;
  deleteTopicEnable: boolean;
  groupInitialRebalanceDelayMs: number;
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** Largest request frame accepted; a larger one closes the connection before allocation. */
  socketRequestMaxBytes: number;
  /** Broker-level defaults of topic configs, by topic config name (`retention.ms`, …). */
  topicDefaults: Record<string, string>;
}

export class BrokerConfigError extends Error {
  override readonly name = 'BrokerConfigError';
}

export interface ConfigSetting {
  key: string;
  value: string;
  /** Where the setting came from, for error messages: `--config`, `server.properties:12`. */
  source: string;
}

type Kind = 'int' | 'long' | 'boolean' | 'listeners' | 'cleanupPolicy' | 'timestampType';

interface KeySpec {
  kind: Kind;
  /** For broker-level topic defaults: the topic config it sets. */
  topicConfig?: string;
  /** A multiplier into the topic config's unit (log.retention.hours → retention.ms). */
  scale?: number;
  min?: number;
}

const HOUR_MS = 3_600_000;

/** The server.properties keys the broker understands, with Kafka's meanings. */
const KEYS: Record<string, KeySpec> = {
  'node.id': { kind: 'int', min: 0 },
  'broker.id': { kind: 'int', min: 0 },
  'advertised.listeners': { kind: 'listeners' },
  listeners: { kind: 'listeners' },
  'num.partitions': { kind: 'int', min: 1 },
  'auto.create.topics.enable': { kind: 'boolean' },
  'delete.topic.enable': { kind: 'boolean' },
  'group.initial.rebalance.delay.ms': { kind: 'int', min: 0 },
  'group.min.session.timeout.ms': { kind: 'int', min: 0 },
  'group.max.session.timeout.ms': { kind: 'int', min: 0 },
  'socket.request.max.bytes': { kind: 'int', min: 1 },
  'message.max.bytes': { kind: 'int', min: 0, topicConfig: 'max.message.bytes' },
  'log.retention.ms': { kind: 'long', min: -1, topicConfig: 'retention.ms' },
  'log.retention.minutes': { kind: 'long', min: -1, topicConfig: 'retention.ms', scale: 60_000 },
  'log.retention.hours': { kind: 'long', min: -1, topicConfig: 'retention.ms', scale: HOUR_MS },
  'log.retention.bytes': { kind: 'long', min: -1, topicConfig: 'retention.bytes' },
  'log.segment.bytes': { kind: 'int', min: 14, topicConfig: 'segment.bytes' },
  'log.roll.ms': { kind: 'long', min: 1, topicConfig: 'segment.ms' },
  'log.roll.hours': { kind: 'long', min: 1, topicConfig: 'segment.ms', scale: HOUR_MS },
  'log.cleanup.policy': { kind: 'cleanupPolicy', topicConfig: 'cleanup.policy' },
  'log.message.timestamp.type': { kind: 'timestampType', topicConfig: 'message.timestamp.type' },
};

/** Kafka gives `*.ms` precedence over `*.minutes` over `*.hours`; so do we. */
const PRECEDENCE = [
  'log.retention.hours',
  'log.retention.minutes',
  'log.retention.ms',
  'log.roll.hours',
  'log.roll.ms',
];

export const KNOWN_BROKER_CONFIG_KEYS = Object.keys(KEYS).sort();

export function defaultBrokerConfig(): BrokerConfig {
  return {
    nodeId: 0,
    advertisedListener: null,
    numPartitions: 1,
    autoCreateTopics: false,
    deleteTopicEnable: true,
    // Kafka waits 3 s for more members of a new group; one desktop consumer should not wait.
    groupInitialRebalanceDelayMs: 0,
    groupMinSessionTimeoutMs: 6_000,
    groupMaxSessionTimeoutMs: 1_800_000,
    socketRequestMaxBytes: 100 * 1024 * 1024,
    topicDefaults: {},
  };
}

export function parseBrokerConfig(settings: ConfigSetting[]): BrokerConfig {
  const config = defaultBrokerConfig();
  const ordered = [...settings].sort((a, b) => rank(a.key) - rank(b.key));
  for (const { key, value, source } of ordered) {
    const spec = KEYS[key];
    const fail = (why: string): never => {
      throw new BrokerConfigError(`${source}: ${key}=${value} ${why}`);
    };
    if (!spec) {
      throw new BrokerConfigError(
        `${source}: unknown broker setting "${key}". Known settings: ${KNOWN_BROKER_CONFIG_KEYS.join(', ')}.`,
      );
    }
    const parsed = parseValue(spec, value.trim(), fail);
    if (spec.topicConfig) {
      const scaled =
        typeof parsed === 'number' && spec.scale && parsed > 0 ? parsed * spec.scale : parsed;
      config.topicDefaults[spec.topicConfig] = String(scaled);
      continue;
    }
    switch (key) {
      case 'node.id':
      case 'broker.id':
        config.nodeId = parsed as number;
        break;
      case 'advertised.listeners':
        config.advertisedListener = parsed as Listener;
        break;
      case 'listeners':
        // The listen address itself comes from --host/--port; `listeners` only informs the advertised one.
        config.advertisedListener ??= parsed as Listener;
        break;
      case 'num.partitions':
        config.numPartitions = parsed as number;
        break;
      case 'auto.create.topics.enable':
        config.autoCreateTopics = parsed as boolean;
        break;
      case 'delete.topic.enable':
        config.deleteTopicEnable = parsed as boolean;
        break;
      case 'group.initial.rebalance.delay.ms':
        config.groupInitialRebalanceDelayMs = parsed as number;
        break;
      case 'group.min.session.timeout.ms':
        config.groupMinSessionTimeoutMs = parsed as number;
        break;
      case 'group.max.session.timeout.ms':
        config.groupMaxSessionTimeoutMs = parsed as number;
        break;
      case 'socket.request.max.bytes':
        config.socketRequestMaxBytes = parsed as number;
        break;
    }
  }
  if (config.groupMinSessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
    throw new BrokerConfigError(
      `group.min.session.timeout.ms (${config.groupMinSessionTimeoutMs}) is above group.max.session.timeout.ms (${config.groupMaxSessionTimeoutMs})`,
    );
  }
  return config;
}

function rank(key: string): number {
  const index = PRECEDENCE.indexOf(key);
  return index < 0 ? -1 : index;
}

function parseValue(
  spec: KeySpec,
  value: string,
  fail: (why: string) => never,
): number | boolean | string | Listener {
  switch (spec.kind) {
    case 'int':
    case 'long': {
      if (!/^-?\d+$/.test(value)) fail('is not a whole number');
      const number = Number(value);
      if (!Number.isSafeInteger(number)) fail('is out of range');
      if (spec.kind === 'int' && number > 2 ** 31 - 1) fail('is larger than a 32-bit integer');
      if (spec.min !== undefined && number < spec.min) fail(`is below the minimum ${spec.min}`);
      return number;
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') fail('must be true or false');
      return value === 'true';
    case 'cleanupPolicy':
      if (!['delete', 'compact', 'compact,delete', 'delete,compact'].includes(value)) {
        fail('must be delete, compact or compact,delete');
      }
      return value;
    case 'timestampType':
      if (value !== 'CreateTime' && value !== 'LogAppendTime')
        fail('must be CreateTime or LogAppendTime');
      return value;
    case 'listeners': {
      // PLAINTEXT://host:9092 (the first listener is the one a single-listener broker uses).
      const first = value.split(',')[0]!.trim();
      const match = /^[A-Za-z_][A-Za-z0-9_]*:\/\/(\[[^\]]+\]|[^:/]*):(\d{1,5})$/.exec(first);
      if (!match || Number(match[2]) > 65535) fail('must look like PLAINTEXT://host:port');
      return { host: match![1]!.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(match![2]) };
    }
  }
}

/**
 * Reads Java properties text (the format of server.properties): `#` and `!` comments,
 * `key=value`, `key: value` or `key value`, and lines continued with a trailing backslash.
 */
export function parseProperties(text: string, fileName: string): ConfigSetting[] {
  const settings: ConfigSetting[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    let line = lines[i]!.trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(?<!\\)(\\\\)*\\$/.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.trimStart();
    }
    const match = /^((?:\\.|[^=:\s\\])+)\s*[=:\s]\s*(.*)$/.exec(line);
    const key = unescape(match ? match[1]! : line.trim());
    const value = match ? unescape(match[2]!) : '';
    settings.push({ key, value, source: `${fileName}:${lineNumber}` });
  }
  return settings;
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) => {
    if (escaped.startsWith('u') && escaped.length === 5)
      return String.fromCharCode(parseInt(escaped.slice(1), 16));
    return { t: '\t', n: '\n', r: '\r', f: '\f' }[escaped] ?? escaped;
  });
}

/** `KEY=VALUE` from the command line. */
export function parseConfigFlag(flag: string): ConfigSetting {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new BrokerConfigError(`--config ${flag}: expected KEY=VALUE`);
  return { key: flag.slice(0, eq).trim(), value: flag.slice(eq + 1), source: '--config' };
}
