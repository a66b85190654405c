import { describe, expect, it } from 'vitest';
import {
  BrokerConfigError,
  defaultBrokerConfig,
  parseBrokerConfig,
  parseConfigFlag,
  parseProperties,
} from './brokerConfig';

describe('broker configuration in server.properties terms', () => {
  it('reads a server.properties file the way Kafka does', () => {
    const text = [
      '# a comment',
      '! another comment',
      'node.id=3',
      'advertised.listeners=PLAINTEXT://kafka.local:19092',
      'num.partitions : 6',
      'auto.create.topics.enable true',
      'log.retention.hours=168',
      'log.segment.bytes=\\',
      '    1048576',
      'log.cleanup.policy=compact,delete',
    ].join('\n');
    const config = parseBrokerConfig(parseProperties(text, 'server.properties'));
    expect(config).toEqual({
      ...defaultBrokerConfig(),
      nodeId: 3,
      advertisedListener: { host: 'kafka.local', port: 19092 },
      numPartitions: 6,
      autoCreateTopics: true,
      topicDefaults: {
        'retention.ms': String(168 * 3_600_000),
        'segment.bytes': '1048576',
        'cleanup.policy': 'compact,delete',
      },
    });
  });

  it('gives log.retention.ms precedence over log.retention.hours, whatever the order', () => {
    const config = parseBrokerConfig([
      parseConfigFlag('log.retention.ms=5000'),
      parseConfigFlag('log.retention.hours=1'),
    ]);
    expect(config.topicDefaults['retention.ms']).toBe('5000');
  });

  it('names an unknown key and where it came from', () => {
    expect(() =>
      parseBrokerConfig(parseProperties('node.id=1\nlog.retention.dayz=3', 'server.properties')),
    ).toThrow(
      /^server\.properties:2: unknown broker setting "log\.retention\.dayz"\. Known settings: .*log\.retention\.ms/,
    );
  });

  it('names a bad value instead of falling back to a default', () => {
    const bad = (flag: string) => () => parseBrokerConfig([parseConfigFlag(flag)]);
    expect(bad('num.partitions=zero')).toThrow(
      '--config: num.partitions=zero is not a whole number',
    );
    expect(bad('num.partitions=0')).toThrow('is below the minimum 1');
    expect(bad('auto.create.topics.enable=yes')).toThrow('must be true or false');
    expect(bad('advertised.listeners=kafka:9092')).toThrow('must look like PLAINTEXT://host:port');
    expect(bad('socket.request.max.bytes=99999999999')).toThrow('larger than a 32-bit integer');
    expect(() => parseConfigFlag('novalue')).toThrow(BrokerConfigError);
  });
});
