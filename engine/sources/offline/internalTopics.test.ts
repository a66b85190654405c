import { describe, expect, it } from 'vitest';
import { writeGroupMetadataKey } from '../../../broker/protocol/messages/generated/GroupMetadataKey';
import { writeGroupMetadataValue } from '../../../broker/protocol/messages/generated/GroupMetadataValue';
import { writeOffsetCommitKey } from '../../../broker/protocol/messages/generated/OffsetCommitKey';
import { writeOffsetCommitValue } from '../../../broker/protocol/messages/generated/OffsetCommitValue';
import { Writer } from '../../../broker/protocol/messages/writer';
import { internalRecordView, isDecodedInternalTopic } from './internalTopics';
import { KRAFT_RECORD_VALUES } from './testing/kraftMetadataLog';

/** A `__consumer_offsets` key or value: its version (int16), then the message at that version. */
function versioned(version: number, write: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.int16(version);
  write(w);
  return w.toBuffer();
}

describe('internal topic records as a message browser shows them', () => {
  it('an offset commit: summary and fields; its tombstone says the offset was deleted', () => {
    const key = versioned(1, (w) =>
      writeOffsetCommitKey(w, { group: 'billing', topic: 'orders', partition: 3 }, 1),
    );
    const value = versioned(3, (w) =>
      writeOffsetCommitValue(
        w,
        { offset: 42n, leaderEpoch: 5, metadata: '', commitTimestamp: 1_700_000_000_000n },
        3,
      ),
    );
    expect(internalRecordView('__consumer_offsets', key, value)).toEqual({
      summary: 'OffsetCommit group=billing topic=orders partition=3 offset=42',
      redacted: false,
      decoded: {
        kind: 'offsetCommit',
        group: 'billing',
        topic: 'orders',
        partition: 3,
        offset: 42,
        leaderEpoch: 5,
        metadata: '',
        commitTimestamp: 1_700_000_000_000,
      },
    });
    expect(internalRecordView('__consumer_offsets', key, null)?.summary).toBe(
      'OffsetCommit group=billing topic=orders partition=3 (tombstone: offset deleted)',
    );
  });

  it('a group metadata record: protocol type, generation and member count', () => {
    const key = versioned(2, (w) => writeGroupMetadataKey(w, { group: 'billing' }, 2));
    const value = versioned(3, (w) =>
      writeGroupMetadataValue(
        w,
        {
          protocolType: 'consumer',
          generation: 7,
          protocol: 'range',
          leader: 'm-1',
          currentStateTimestamp: 1_700_000_000_000n,
          members: [{ memberId: 'm-1' }, { memberId: 'm-2' }],
        },
        3,
      ),
    );
    expect(internalRecordView('__consumer_offsets', key, value)?.summary).toBe(
      'GroupMetadata group=billing protocolType=consumer generation=7 members=2',
    );
  });

  it('a KRaft record: its summary, and `redacted` for one that holds SCRAM keys', () => {
    expect(internalRecordView('__cluster_metadata', null, KRAFT_RECORD_VALUES[2]!)).toMatchObject({
      summary: 'TopicRecord name=orders topicId=AAECAwQFBgcICQoLDA0ODw',
      redacted: false,
    });
    expect(internalRecordView('__cluster_metadata', null, KRAFT_RECORD_VALUES[4]!)).toMatchObject({
      redacted: true,
    });
  });

  it('other topics are left alone', () => {
    expect(isDecodedInternalTopic('orders')).toBe(false);
    expect(internalRecordView('orders', null, Buffer.from('x'))).toBeNull();
    expect(internalRecordView('__cluster_metadata', null, null)).toBeNull();
  });
});
