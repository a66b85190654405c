/**
 * KRaft metadata records assembled byte by byte from Kafka's metadata record definitions
 * (metadata/src/main/resources/common/metadata/*.json). Every value starts with the frame
 * (frame version 1, record type, record version as unsigned varints); every struct ends with
 * its tagged-field section (a count, then tag, size, bytes for each). Compact strings and arrays
 * carry their length + 1 as an unsigned varint.
 */
import { describe, expect, it } from 'vitest';
import { decodeClusterMetadata, holdsSecrets, summarizeClusterMetadata } from './kraftMetadata';
import { METADATA_RECORD_SPECS } from './kraftMetadataSchemas';

/** Hex pieces, spaces allowed, joined into one buffer. */
function hex(...pieces: string[]): Buffer {
  return Buffer.from(pieces.join('').replace(/\s+/g, ''), 'hex');
}

const UUID_A_HEX = '000102030405060708090a0b0c0d0e0f';
const UUID_A = 'AAECAwQFBgcICQoLDA0ODw';
const UUID_B_HEX = 'f0e0d0c0b0a090807060504030201000';
const UUID_B = '8ODQwLCgkIBwYFBAMCAQAA';

function decoded(value: Buffer) {
  const record = decodeClusterMetadata(value);
  if (record.kind !== 'clusterMetadata') throw new Error(`undecodable: ${record.reason}`);
  return record;
}

describe('KRaft __cluster_metadata records', () => {
  it('TopicRecord v0: name and topic id (Kafka’s base64 text form)', () => {
    const record = decoded(
      hex(
        '01 02 00', // frame version 1, type 2 (TopicRecord), version 0
        '07 6f7264657273', // name: compact string "orders"
        UUID_A_HEX, // topicId
        '00', // no tagged fields
      ),
    );
    expect(record).toEqual({
      kind: 'clusterMetadata',
      frameVersion: 1,
      type: 2,
      typeName: 'TopicRecord',
      version: 0,
      fields: { name: 'orders', topicId: UUID_A },
    });
    expect(summarizeClusterMetadata(record)).toBe(`TopicRecord name=orders topicId=${UUID_A}`);
  });

  it('RegisterBrokerRecord v3: endpoints, features, null rack and the tagged logDirs', () => {
    const record = decoded(
      hex(
        '01 00 03', // RegisterBrokerRecord v3
        '00000001', // brokerId 1
        '00', // isMigratingZkBroker false (v2+)
        UUID_A_HEX, // incarnationId
        '0000000000000006', // brokerEpoch 6
        '02', // endPoints: 1 element
        '0a 504c41494e54455854', //   name "PLAINTEXT"
        '0a 6c6f63616c686f7374', //   host "localhost"
        '2384', //   port 9092 (uint16)
        '0000', //   securityProtocol 0
        '00', //   element's tagged fields
        '02', // features: 1 element
        '11 6d657461646174612e76657273696f6e', //   name "metadata.version"
        '0001 0013', //   minSupportedVersion 1, maxSupportedVersion 19
        '00', //   element's tagged fields
        '00', // rack: null
        '01', // fenced true
        '00', // inControlledShutdown false (v1+)
        '01', // tagged fields: 1
        '00 11', //   tag 0 (logDirs), 17 bytes
        '02',
        UUID_B_HEX, //   compact array of 1 uuid
      ),
    );
    expect(record.fields).toEqual({
      brokerId: 1,
      isMigratingZkBroker: false,
      incarnationId: UUID_A,
      brokerEpoch: 6,
      endPoints: [{ name: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 0 }],
      features: [{ name: 'metadata.version', minSupportedVersion: 1, maxSupportedVersion: 19 }],
      rack: null,
      fenced: true,
      inControlledShutdown: false,
      logDirs: [UUID_B],
    });
    expect(summarizeClusterMetadata(record)).toContain('endPoints=[1 item]');
  });

  it('RegisterBrokerRecord v0 has neither isMigratingZkBroker nor inControlledShutdown', () => {
    const record = decoded(
      hex(
        '01 00 00', // RegisterBrokerRecord v0
        '00000002', // brokerId 2
        UUID_A_HEX, // incarnationId
        '0000000000000001', // brokerEpoch 1
        '01', // endPoints: empty
        '01', // features: empty
        '05 72616b31', // rack "rak1"
        '00', // fenced false
        '00', // no tagged fields
      ),
    );
    expect(record.fields).toEqual({
      brokerId: 2,
      incarnationId: UUID_A,
      brokerEpoch: 1,
      endPoints: [],
      features: [],
      rack: 'rak1',
      fenced: false,
    });
  });

  it('PartitionRecord v2: directories, and the ELR tagged fields (one of them null)', () => {
    const record = decoded(
      hex(
        '01 03 02', // PartitionRecord v2
        '00000004', // partitionId 4
        UUID_A_HEX, // topicId
        '04 00000001 00000002 00000003', // replicas [1,2,3]
        '03 00000001 00000002', // isr [1,2]
        '01', // removingReplicas []
        '01', // addingReplicas []
        '00000001', // leader 1
        '00000007', // leaderEpoch 7
        '00000009', // partitionEpoch 9
        '02',
        UUID_B_HEX, // directories [B] (v1+)
        '03', // tagged fields: 3
        '00 01 01', //   tag 0 leaderRecoveryState, 1 byte: 1
        '01 05 02 00000003', //   tag 1 eligibleLeaderReplicas, 5 bytes: [3]
        '02 01 00', //   tag 2 lastKnownElr, 1 byte: null
      ),
    );
    expect(record.fields).toEqual({
      partitionId: 4,
      topicId: UUID_A,
      replicas: [1, 2, 3],
      isr: [1, 2],
      removingReplicas: [],
      addingReplicas: [],
      leader: 1,
      leaderEpoch: 7,
      partitionEpoch: 9,
      directories: [UUID_B],
      leaderRecoveryState: 1,
      eligibleLeaderReplicas: [3],
      lastKnownElr: null,
    });
  });

  it('PartitionChangeRecord v0: only the changed fields, all tagged; an unknown tag is kept as {tag, bytes}', () => {
    const record = decoded(
      hex(
        '01 05 00', // PartitionChangeRecord v0
        '00000000', // partitionId 0
        UUID_A_HEX, // topicId
        '03', // tagged fields: 3
        '00 05 02 00000002', //   tag 0 isr, 5 bytes: [2]
        '01 04 00000002', //   tag 1 leader, 4 bytes: 2
        '08 11 02',
        UUID_B_HEX, //   tag 8 (directories, v1+ only: unknown at v0), 17 bytes
      ),
    );
    expect(record.fields).toEqual({ partitionId: 0, topicId: UUID_A, isr: [2], leader: 2 });
    expect(record.unknownTaggedFields).toEqual([
      { tag: 8, bytes: Buffer.from('02' + UUID_B_HEX, 'hex').toString('base64') },
    ]);
  });

  it('PartitionChangeRecord v1 knows tag 8 (directories)', () => {
    const record = decoded(hex('01 05 01', '00000000', UUID_A_HEX, '01', '08 11 02', UUID_B_HEX));
    expect(record.fields).toEqual({ partitionId: 0, topicId: UUID_A, directories: [UUID_B] });
    expect(record.unknownTaggedFields).toBeUndefined();
  });

  it('UserScramCredentialRecord: salt, storedKey and serverKey show their length, not their bytes', () => {
    const record = decoded(
      hex(
        '01 0b 00', // UserScramCredentialRecord v0
        '06 616c696365', // name "alice"
        '02', // mechanism 2 (SCRAM-SHA-512)
        '04 a1a2a3', // salt: 3 bytes
        '05 b1b2b3b4', // storedKey: 4 bytes
        '03 c1c2', // serverKey: 2 bytes
        '00001000', // iterations 4096
        '00',
      ),
    );
    expect(record.fields).toEqual({
      name: 'alice',
      mechanism: 2,
      salt: { redacted: true, length: 3 },
      storedKey: { redacted: true, length: 4 },
      serverKey: { redacted: true, length: 2 },
      iterations: 4096,
    });
    const text = JSON.stringify(record) + summarizeClusterMetadata(record);
    for (const secret of ['a1a2a3', 'b1b2b3b4', 'c1c2']) {
      const bytes = Buffer.from(secret, 'hex');
      expect(text).not.toContain(bytes.toString('base64'));
      expect(text).not.toContain(secret);
    }
    expect(summarizeClusterMetadata(record)).toContain('salt=<3 bytes, not shown>');
  });

  it('a UserScramCredentialRecord of a newer version keeps no raw body: it holds credentials', () => {
    const value = hex('01 0b 01', '06 616c696365', '02', '04 a1a2a3', '00');
    const record = decoded(value);
    expect(record.body).toBeUndefined();
    expect(record.note).toBe(
      'version 1 of UserScramCredentialRecord is newer than this reader knows; the body holds credentials and is not shown',
    );
    expect(holdsSecrets(value)).toBe(true);
    expect(holdsSecrets(hex('01 02 00'))).toBe(false);
  });

  it('ConfigRecord with a null value (a deleted config)', () => {
    const record = decoded(
      hex(
        '01 04 00', // ConfigRecord v0
        '02', // resourceType 2 (topic)
        '07 6f7264657273', // resourceName "orders"
        '0d 726574656e74696f6e2e6d73', // name "retention.ms"
        '00', // value: null
        '00',
      ),
    );
    expect(record.fields).toEqual({
      resourceType: 2,
      resourceName: 'orders',
      name: 'retention.ms',
      value: null,
    });
  });

  it('ClientQuotaRecord: entity list with a null (default) entityName and a float64 value', () => {
    const record = decoded(
      hex(
        '01 0e 00', // ClientQuotaRecord v0
        '02', // entity: 1 element
        '05 75736572', //   entityType "user"
        '00', //   entityName null (the default user)
        '00', //   element's tagged fields
        '13 70726f64756365725f627974655f72617465', // key "producer_byte_rate"
        '4130000000000000', // value 1048576.0
        '00', // remove false
        '00',
      ),
    );
    expect(record.fields).toEqual({
      entity: [{ entityType: 'user', entityName: null }],
      key: 'producer_byte_rate',
      value: 1048576,
      remove: false,
    });
  });

  it('ProducerIdsRecord: an int64 past 2^53 stays exact, as text', () => {
    const record = decoded(
      hex('01 0f 00', '00000001', '0000000000000008', '7fffffffffffffff', '00'),
    );
    expect(record.fields).toEqual({
      brokerId: 1,
      brokerEpoch: 8,
      nextProducerId: '9223372036854775807',
    });
  });

  it('BrokerRegistrationChangeRecord v2: fenced, inControlledShutdown and logDirs are tagged', () => {
    const record = decoded(
      hex(
        '01 11 02', // BrokerRegistrationChangeRecord v2
        '00000001', // brokerId
        '0000000000000008', // brokerEpoch
        '03', // tagged fields: 3
        '00 01 ff', //   fenced -1 (unfenced)
        '01 01 01', //   inControlledShutdown 1
        '02 11 02',
        UUID_A_HEX, //   logDirs [A]
      ),
    );
    expect(record.fields).toEqual({
      brokerId: 1,
      brokerEpoch: 8,
      fenced: -1,
      inControlledShutdown: 1,
      logDirs: [UUID_A],
    });
  });

  it('the small records: each type’s fields by name', () => {
    const cases: [string, Buffer, Record<string, unknown>][] = [
      [
        'UnregisterBrokerRecord',
        hex('01 01 00 00000003 0000000000000002 00'),
        { brokerId: 3, brokerEpoch: 2 },
      ],
      ['FenceBrokerRecord', hex('01 07 00 00000001 0000000000000005 00'), { id: 1, epoch: 5 }],
      ['UnfenceBrokerRecord', hex('01 08 00 00000001 0000000000000006 00'), { id: 1, epoch: 6 }],
      ['RemoveTopicRecord', hex('01 09 00', UUID_A_HEX, '00'), { topicId: UUID_A }],
      [
        'DelegationTokenRecord',
        hex(
          '01 0a 00',
          '06 616c696365', // owner "alice"
          '06 616c696365', // requester "alice"
          '02 05 75736572', // renewers ["user"]
          '0000000000000001 0000000000000002 0000000000000003', // issue, max, expiration
          '04 746f6b', // tokenId "tok"
          '00',
        ),
        {
          owner: 'alice',
          requester: 'alice',
          renewers: ['user'],
          issueTimestamp: 1,
          maxTimestamp: 2,
          expirationTimestamp: 3,
          tokenId: 'tok',
        },
      ],
      [
        'FeatureLevelRecord',
        hex('01 0c 00 11 6d657461646174612e76657273696f6e 0013 00'),
        { name: 'metadata.version', featureLevel: 19 },
      ],
      ['RemoveFeatureLevelRecord', hex('01 10 00 05 75736572 00'), { name: 'user' }],
      [
        'AccessControlEntryRecord',
        hex(
          '01 12 00',
          UUID_A_HEX, // id
          '02', // resourceType 2 (topic)
          '07 6f7264657273', // resourceName "orders"
          '03', // patternType 3 (literal)
          '0b 557365723a616c696365', // principal "User:alice"
          '02 2a', // host "*"
          '03', // operation 3 (read)
          '03', // permissionType 3 (allow)
          '00',
        ),
        {
          id: UUID_A,
          resourceType: 2,
          resourceName: 'orders',
          patternType: 3,
          principal: 'User:alice',
          host: '*',
          operation: 3,
          permissionType: 3,
        },
      ],
      ['RemoveAccessControlEntryRecord', hex('01 13 00', UUID_A_HEX, '00'), { id: UUID_A }],
      ['NoOpRecord', hex('01 14 00 00'), {}],
      ['ZkMigrationStateRecord', hex('01 15 00 02 00'), { zkMigrationState: 2 }],
      [
        'RemoveUserScramCredentialRecord',
        hex('01 16 00 06 616c696365 01 00'),
        { name: 'alice', mechanism: 1 },
      ],
      ['BeginTransactionRecord', hex('01 17 00 01 00 05 05 626f6f74'), { name: 'boot' }],
      ['EndTransactionRecord', hex('01 18 00 00'), {}],
      ['AbortTransactionRecord', hex('01 19 00 00'), {}],
      ['RemoveDelegationTokenRecord', hex('01 1a 00 04 746f6b 00'), { tokenId: 'tok' }],
      [
        'RegisterControllerRecord',
        hex(
          '01 1b 00',
          '00000001', // controllerId
          UUID_B_HEX, // incarnationId
          '00', // zkMigrationReady false
          '02 0b 434f4e54524f4c4c4552 0a 6c6f63616c686f7374 2385 0000 00', // CONTROLLER localhost:9093
          '01', // features: empty
          '00',
        ),
        {
          controllerId: 1,
          incarnationId: UUID_B,
          zkMigrationReady: false,
          endPoints: [{ name: 'CONTROLLER', host: 'localhost', port: 9093, securityProtocol: 0 }],
          features: [],
        },
      ],
      ['ClearElrRecord', hex('01 1c 00 01 00'), { topicName: '' }],
      ['UnregisterControllerRecord', hex('01 1d 00 00000002 00'), { controllerId: 2 }],
    ];
    for (const [typeName, value, fields] of cases) {
      const record = decoded(value);
      expect(record.typeName).toBe(typeName);
      expect(record.fields).toEqual(fields);
    }
    // Together with the tests above, every decodable type in the table is covered.
    const tested = new Set([
      ...cases.map(([name]) => name),
      'TopicRecord',
      'RegisterBrokerRecord',
      'PartitionRecord',
      'PartitionChangeRecord',
      'UserScramCredentialRecord',
      'ConfigRecord',
      'ClientQuotaRecord',
      'ProducerIdsRecord',
      'BrokerRegistrationChangeRecord',
    ]);
    const decodable = Object.values(METADATA_RECORD_SPECS)
      .filter((spec) => !('withdrawn' in spec))
      .map((spec) => spec.name);
    expect(decodable.filter((name) => !tested.has(name))).toEqual([]);
  });

  it('a version newer than the table keeps the header and the raw body, and says so', () => {
    const body = hex('07 6f7264657273', UUID_A_HEX, '00');
    const record = decoded(Buffer.concat([hex('01 02 01'), body])); // TopicRecord v1
    expect(record).toEqual({
      kind: 'clusterMetadata',
      frameVersion: 1,
      type: 2,
      typeName: 'TopicRecord',
      version: 1,
      note: 'version 1 of TopicRecord is newer than this reader knows',
      body: body.toString('base64'),
    });
    expect(summarizeClusterMetadata(record)).toBe(
      'TopicRecord v1 (version 1 of TopicRecord is newer than this reader knows)',
    );
  });

  it('an unknown record type, a withdrawn type and an unknown frame version stay raw', () => {
    expect(decoded(hex('01 63 00 cafe'))).toMatchObject({
      typeName: 'unknown (99)',
      note: 'record type 99 is not one this reader knows',
      body: Buffer.from('cafe', 'hex').toString('base64'),
    });
    expect(decoded(hex('01 06 00 02'))).toMatchObject({
      typeName: 'AccessControlRecord',
      body: 'Ag==',
    });
    expect(decoded(hex('02 02 00 07 6f7264657273'))).toMatchObject({
      frameVersion: 2,
      typeName: 'TopicRecord',
      note: 'frame version 2 is not one this reader knows (only 1)',
    });
  });

  it('a body cut short or with bytes left over is undecodable, with the reason', () => {
    const cut = decodeClusterMetadata(hex('01 02 00 07 6f7264657273', UUID_A_HEX.slice(0, 20)));
    expect(cut).toMatchObject({ kind: 'undecodable' });
    expect(cut.kind === 'undecodable' && cut.reason).toMatch(/^TopicRecord v0: needs 16 byte/);
    const extra = decodeClusterMetadata(hex('01 08 00 00000001 0000000000000006 00 ffff'));
    expect(extra).toEqual({
      kind: 'undecodable',
      reason: 'UnfenceBrokerRecord v0: 2 byte(s) left over after the last field',
    });
    const header = decodeClusterMetadata(hex('01 82'));
    expect(header.kind).toBe('undecodable');
    // A known tagged field whose size does not match its value.
    const badTag = decodeClusterMetadata(
      hex('01 05 00 00000000', UUID_A_HEX, '01 01 05 0000000200'),
    );
    expect(badTag).toEqual({
      kind: 'undecodable',
      reason: 'PartitionChangeRecord v0: tagged field leader has 1 byte(s) left over',
    });
  });
});
