/**
 * Topic configuration with Kafka's names and meanings (`TopicConfig` / `LogConfig` in Kafka).
 *
 * Configs travel as strings, as in the Kafka protocol. The ones the log enforces are
 * validated and resolved into a typed `TopicConfig`; the other Kafka topic configs are
 * accepted and kept (clients and tools set them), reported back, and have no effect here.
 * An unknown name is `INVALID_CONFIG`, as in Kafka.
 *
 * Defaults are Kafka's except `segment.bytes`: 64 MiB instead of 1 GiB, so that a desktop
 * log has segments to look at and retention frees space in smaller steps.
 */
import { LogError } from './errors';

export type CleanupPolicy = { delete: boolean; compact: boolean };
export type TimestampTypeName = 'CreateTime' | 'LogAppendTime';

/** The effective, typed configuration of a topic. */
export interface TopicConfig {
  retentionMs: number;
  retentionBytes: number;
  segmentBytes: number;
  segmentMs: number;
  cleanupPolicy: CleanupPolicy;
  maxMessageBytes: number;
  timestampType: TimestampTypeName;
  indexIntervalBytes: number;
}

const INT_MAX = 2 ** 31 - 1;

interface ConfigDefinition {
  key: keyof TopicConfig;
  fallback: string;
  parse: (value: string) => TopicConfig[keyof TopicConfig];
  doc: string;
}

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new Error(`"${value}" is not an integer`);
    const n = Number(value.trim());
    if (n < min || n > max) throw new Error(`${n} is outside [${min}, ${max}]`);
    return n;
  };
}

function cleanupPolicy(value: string): CleanupPolicy {
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const part of parts) {
    if (part !== 'delete' && part !== 'compact') {
      throw new Error(`"${part}" is not one of delete, compact`);
    }
  }
  return { delete: parts.includes('delete'), compact: parts.includes('compact') };
}

function timestampType(value: string): TimestampTypeName {
  if (value !== 'CreateTime' && value !== 'LogAppendTime') {
    throw new Error(`"${value}" is not one of CreateTime, LogAppendTime`);
  }
  return value;
}

/** The configs the log enforces, by Kafka name. */
export const ENFORCED_CONFIGS: Readonly<Record<string, ConfigDefinition>> = {
  'retention.ms': {
    key: 'retentionMs',
    fallback: '604800000',
    parse: integer(-1),
    doc: 'Delete closed segments whose newest record is older than this; -1: no limit.',
  },
  'retention.bytes': {
    key: 'retentionBytes',
    fallback: '-1',
    parse: integer(-1),
    doc: 'Delete the oldest closed segments while a partition is larger than this; -1: no limit.',
  },
  'segment.bytes': {
    key: 'segmentBytes',
    fallback: String(64 * 1024 * 1024),
    parse: integer(14, INT_MAX),
    doc: 'Roll to a new segment before the active one grows past this many bytes.',
  },
  'segment.ms': {
    key: 'segmentMs',
    fallback: '604800000',
    parse: integer(1),
    doc: 'Roll to a new segment when the active one is older than this.',
  },
  'cleanup.policy': {
    key: 'cleanupPolicy',
    fallback: 'delete',
    parse: cleanupPolicy,
    doc: 'delete: retention by time and size applies. compact: stored, not yet enforced.',
  },
  'max.message.bytes': {
    key: 'maxMessageBytes',
    fallback: '1048588',
    parse: integer(0, INT_MAX),
    doc: 'The largest record batch a producer may append.',
  },
  'message.timestamp.type': {
    key: 'timestampType',
    fallback: 'CreateTime',
    parse: timestampType,
    doc: 'LogAppendTime: the broker stamps each batch with its append time.',
  },
  'index.interval.bytes': {
    key: 'indexIntervalBytes',
    fallback: '4096',
    parse: integer(0, INT_MAX),
    doc: 'Bytes appended between two entries of the sparse time index.',
  },
};

/** Kafka topic configs that are accepted and kept but have no effect on this log. */
export const ACCEPTED_CONFIGS: ReadonlySet<string> = new Set([
  'compression.type',
  'compression.gzip.level',
  'compression.lz4.level',
  'compression.zstd.level',
  'delete.retention.ms',
  'file.delete.delay.ms',
  'flush.messages',
  'flush.ms',
  'follower.replication.throttled.replicas',
  'leader.replication.throttled.replicas',
  'local.retention.bytes',
  'local.retention.ms',
  'max.compaction.lag.ms',
  'message.downconversion.enable',
  'message.format.version',
  'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms',
  'message.timestamp.difference.max.ms',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'min.insync.replicas',
  'preallocate',
  'remote.log.copy.disable',
  'remote.log.delete.on.disable',
  'remote.storage.enable',
  'segment.index.bytes',
  'segment.jitter.ms',
  'unclean.leader.election.enable',
]);

/** Checks names and values; returns the configs as given (strings, trimmed). */
export function validateConfigs(configs: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(configs)) {
    const value = String(raw).trim();
    const definition = ENFORCED_CONFIGS[name];
    if (definition) {
      try {
        definition.parse(value);
      } catch (error) {
        throw new LogError(
          'INVALID_CONFIG',
          `Invalid value for ${name}: ${(error as Error).message}`,
        );
      }
    } else if (!ACCEPTED_CONFIGS.has(name)) {
      throw new LogError('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    }
    out[name] = value;
  }
  return out;
}

/** The effective config: the topic's own values over the broker defaults over Kafka's. */
export function resolveConfig(
  topicConfigs: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>>,
): TopicConfig {
  const config = {} as Record<keyof TopicConfig, TopicConfig[keyof TopicConfig]>;
  for (const [name, definition] of Object.entries(ENFORCED_CONFIGS)) {
    const value = topicConfigs[name] ?? brokerDefaults[name] ?? definition.fallback;
    config[definition.key] = definition.parse(value);
  }
  return config as TopicConfig;
}

export type ConfigSource = 'topic' | 'broker-default' | 'default';

export interface ConfigEntry {
  name: string;
  value: string;
  source: ConfigSource;
  /** False for configs the log stores but does not act on. */
  enforced: boolean;
  doc?: string;
}

/** Every enforced config with its value and where it comes from, plus the stored others. */
export function describeConfigs(
  topicConfigs: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>>,
): ConfigEntry[] {
  const entries: ConfigEntry[] = Object.entries(ENFORCED_CONFIGS).map(([name, definition]) => {
    const own = topicConfigs[name];
    const broker = brokerDefaults[name];
    return {
      name,
      value: own ?? broker ?? definition.fallback,
      source: own !== undefined ? 'topic' : broker !== undefined ? 'broker-default' : 'default',
      enforced: true,
      doc: definition.doc,
    };
  });
  for (const [name, value] of Object.entries(topicConfigs)) {
    if (!ENFORCED_CONFIGS[name]) entries.push({ name, value, source: 'topic', enforced: false });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name));
}
