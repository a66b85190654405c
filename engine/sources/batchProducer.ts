/**
 * An idempotent producer of whole record batches, for bulk jobs (replay, import).
 *
 * kafkajs's producer builds a JavaScript object per message, groups them per partition on every
 * send, encodes each record through a generic encoder and keeps one request in flight when
 * idempotent: a replay spent most of its time there. This one writes records straight into a
 * batch per partition (RecordBatchBuilder), sends a Produce request when a batch is full, and
 * keeps up to five requests in flight per broker, as Kafka's own idempotent producer does.
 *
 * Order and no duplicates: the producer id from InitProducerId and a sequence number per
 * partition go into every batch. A broker appends one connection's requests in order, refuses a
 * batch whose sequence does not follow (OUT_OF_ORDER_SEQUENCE_NUMBER), and answers a batch it
 * already has with its offset instead of appending it again. So after any failure the producer
 * waits for every request in flight, then resends every batch not yet acknowledged, in the
 * order they were first sent, with their original sequence numbers: what was appended is
 * acknowledged as a duplicate, the rest is appended in order.
 *
 * Connections, TLS and SASL are kafkajs's: the requests go over the connections of a kafkajs
 * Cluster of its own (not the reader's, so a durable write never holds up a page of the browser).
 */
import kafkajs from 'kafkajs';
import { kafkaError as kafkaErrorCode } from '../../broker/protocol/errors';
import { RecordBatchBuilder, type ProducerRecord } from './recordBatchBuilder';

/** The parts of kafkajs's internal Cluster and Broker a producer uses. */
export interface ProducerCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(options: { nodeId: string }): Promise<ProducerBroker>;
  findControllerBroker(): Promise<ProducerBroker>;
}
interface ProducerBroker {
  versions?: Record<number, { minVersion: number; maxVersion: number }>;
  initProducerId(request: {
    transactionalId?: string;
    transactionTimeout: number;
  }): Promise<{ producerId: string | number; producerEpoch: number }>;
  connectionPool: {
    send(protocol: {
      request: {
        apiKey: number;
        apiVersion: number;
        apiName: string;
        encode(): Promise<{ buf: Buffer; buffer: Buffer }>;
      };
      response: {
        decode(payload: Buffer): Promise<unknown>;
        parse(data: unknown): Promise<unknown>;
      };
      requestTimeout?: number;
    }): Promise<unknown>;
  };
}

export interface BatchProducerOptions {
  topic: string;
  /** A partition's batch is sent once it holds this many bytes (default 512 KiB). */
  batchBytes?: number;
  /**
   * No batch grows past this (the topic's max.message.bytes): a record that would take it over
   * starts the next batch. Default: no limit beyond `batchBytes` plus one record.
   */
  maxBatchBytes?: number;
  /** Requests in flight per broker (default 5, the most Kafka keeps order for). */
  maxInFlight?: number;
  /** Rounds of resending after failures before giving up (default 5). */
  retries?: number;
  /** Records acknowledged by the broker, as they are. */
  onAcknowledged?: (records: number) => void;
}

/** A batch sent and not yet acknowledged. */
interface Pending {
  partition: number;
  baseSequence: number;
  records: number;
  bytes: Buffer;
}

/** A failure the producer will not retry: the caller is told what happened. */
export class ProduceFailure extends Error {
  override readonly name = 'KafkaJSProtocolError';
  constructor(
    message: string,
    /** Kafka's error name, which kafkaError() turns into an ApiError. */
    readonly type: string,
  ) {
    super(message);
  }
}

const PRODUCE = 0;
const PRODUCE_VERSION = 3;
const ACKS_ALL = -1;
const TIMEOUT_MS = 30_000;
const NONE = 0;
const DUPLICATE_SEQUENCE_NUMBER = 46;
const OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
const SEQUENCE_WRAP = 2 ** 31;

export class BatchProducer {
  private readonly batchBytes: number;
  private readonly maxBatchBytes: number;
  private readonly maxInFlight: number;
  private readonly retries: number;
  private readonly builders = new Map<number, RecordBatchBuilder>();
  /** When each partition's open batch got its first record. */
  private readonly started = new Map<number, number>();
  private readonly sequences = new Map<number, number>();
  private leaders = new Map<number, number>();
  /** Batches sent and not acknowledged, in the order they were first sent. */
  private readonly unacknowledged = new Set<Pending>();
  private readonly inFlight = new Map<number, Set<Promise<void>>>();
  /** A failure to resend after: set by a response, handled before the next send. */
  private retryNeeded: Error | null = null;
  private failure: Error | null = null;
  /** Sends happen one after another, so batches of a partition leave in sequence order. */
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly cluster: ProducerCluster,
    private readonly producerId: bigint,
    private readonly producerEpoch: number,
    private readonly options: BatchProducerOptions,
  ) {
    this.maxBatchBytes = options.maxBatchBytes ?? Infinity;
    this.batchBytes = Math.min(options.batchBytes ?? 512 * 1024, this.maxBatchBytes);
    this.maxInFlight = options.maxInFlight ?? 5;
    this.retries = options.retries ?? 5;
  }

  /** Connects `cluster` (a fresh kafkajs Cluster, which the producer owns) and gets a producer id. */
  static async open(
    cluster: ProducerCluster,
    options: BatchProducerOptions,
  ): Promise<BatchProducer> {
    try {
      await cluster.connect();
      await cluster.addTargetTopic(options.topic);
      const broker = await cluster.findControllerBroker();
      const produce = broker.versions?.[PRODUCE];
      if (produce && (produce.minVersion > PRODUCE_VERSION || produce.maxVersion < PRODUCE_VERSION))
        throw new ProduceFailure(
          `the broker speaks Produce v${produce.minVersion}–${produce.maxVersion}; record batches need v${PRODUCE_VERSION} (Kafka 0.11 or later)`,
          'UNSUPPORTED_VERSION',
        );
      const id = await broker.initProducerId({ transactionTimeout: TIMEOUT_MS });
      const producer = new BatchProducer(cluster, BigInt(id.producerId), id.producerEpoch, options);
      producer.readLeaders();
      return producer;
    } catch (error) {
      await cluster.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /** Partitions of the topic, from the metadata. */
  get partitions(): number {
    return this.leaders.size;
  }

  /**
   * Adds a record to its partition's batch. Returns a promise when a full batch went out and
   * the caller should wait for room (several requests are already in flight); null otherwise.
   */
  add(partition: number, record: ProducerRecord): Promise<void> | null {
    if (this.failure) throw this.failure;
    let builder = this.builders.get(partition);
    let sent: Promise<void> | null = null;
    if (builder && builder.size + recordBytes(record) > this.maxBatchBytes) {
      const full = builder;
      this.builders.delete(partition);
      builder = undefined;
      sent = this.enqueue(() => this.dispatch([this.seal(partition, full)], true));
    }
    if (!builder) {
      builder = new RecordBatchBuilder(Math.min(this.batchBytes + 64 * 1024, 1024 * 1024));
      this.builders.set(partition, builder);
      this.started.set(partition, Date.now());
    }
    builder.add(record);
    if (builder.size < this.batchBytes) return sent;
    this.builders.delete(partition);
    const full = builder;
    return this.enqueue(() => this.dispatch([this.seal(partition, full)], true));
  }

  /**
   * Sends the partial batches (those older than `lingerMs`, when given) without waiting for
   * their acknowledgement: for a paced replay about to wait, or a slow source.
   */
  async send(lingerMs?: number): Promise<void> {
    const now = Date.now();
    const sealed: Pending[] = [];
    for (const [partition, builder] of this.builders) {
      if (lingerMs !== undefined && now - (this.started.get(partition) ?? now) < lingerMs) continue;
      sealed.push(this.seal(partition, builder));
      this.builders.delete(partition);
    }
    if (sealed.length > 0) await this.enqueue(() => this.dispatch(sealed, false));
    if (this.failure) throw this.failure;
  }

  /** Sends every partial batch and waits until everything sent is acknowledged. */
  async flush(): Promise<void> {
    await this.send();
    await this.enqueue(async () => {
      await this.settle();
      await this.resendIfNeeded();
    });
    if (this.failure) throw this.failure;
  }

  /** Waits for requests in flight (their acknowledgements still count), then disconnects. */
  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.settle();
    await this.cluster.disconnect().catch(() => undefined);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private seal(partition: number, builder: RecordBatchBuilder): Pending {
    const baseSequence = this.sequences.get(partition) ?? 0;
    this.sequences.set(partition, (baseSequence + builder.count) % SEQUENCE_WRAP);
    return {
      partition,
      baseSequence,
      records: builder.count,
      bytes: builder.finish({
        producerId: this.producerId,
        producerEpoch: this.producerEpoch,
        baseSequence,
      }),
    };
  }

  /** Sends batches, grouped by leader, without waiting for the answers (but for room). */
  private async dispatch(batches: Pending[], waitForRoom: boolean): Promise<void> {
    await this.resendIfNeeded();
    for (const batch of batches) this.unacknowledged.add(batch);
    for (const [nodeId, group] of this.byLeader(batches)) {
      const flying = this.inFlightOf(nodeId);
      while (flying.size >= this.maxInFlight) await Promise.race(flying);
      const request: Promise<void> = this.request(nodeId, group).finally(() =>
        flying.delete(request),
      );
      flying.add(request);
    }
    if (waitForRoom) {
      for (const flying of this.inFlight.values())
        while (flying.size >= this.maxInFlight) await Promise.race(flying);
    }
    if (this.failure) throw this.failure;
  }

  /** One Produce request; its outcome is recorded, never thrown. */
  private async request(nodeId: number, batches: Pending[]): Promise<void> {
    let answers: Map<number, number>;
    try {
      const broker = await this.cluster.findBroker({ nodeId: String(nodeId) });
      answers = (await broker.connectionPool.send({
        request: {
          apiKey: PRODUCE,
          apiVersion: PRODUCE_VERSION,
          apiName: 'Produce',
          // kafkajs frames the request around what encode() returns; it reads the bytes from
          // `buffer` (and checks `buf`), so the body is handed over as it is.
          encode: async () => {
            const body = produceRequest(this.options.topic, batches);
            return { buf: body, buffer: body };
          },
        },
        response: {
          decode: async (payload) => readProduceResponse(payload),
          parse: async (d) => d,
        },
        requestTimeout: TIMEOUT_MS + 5000,
      })) as Map<number, number>;
    } catch (error) {
      if (this.retriable(error)) this.retryNeeded ??= error as Error;
      else this.failure ??= error as Error;
      return;
    }
    for (const batch of batches) {
      const code = answers.get(batch.partition);
      if (code === NONE || code === DUPLICATE_SEQUENCE_NUMBER) {
        if (this.unacknowledged.delete(batch)) this.options.onAcknowledged?.(batch.records);
        continue;
      }
      const known = kafkaErrorCode(code ?? -1);
      const error = new ProduceFailure(
        `${known.name} for partition ${batch.partition}: ${known.message}`,
        known.name,
      );
      if (known.retriable || code === OUT_OF_ORDER_SEQUENCE_NUMBER) this.retryNeeded ??= error;
      else this.failure ??= error;
    }
  }

  /**
   * After a failure: wait for everything in flight, look the leaders up again, and resend what
   * is not acknowledged, one request at a time, in the order first sent.
   */
  private async resendIfNeeded(): Promise<void> {
    for (let round = 1; this.retryNeeded && !this.failure; round++) {
      await this.settle();
      const cause = this.retryNeeded;
      if (round > this.retries) {
        this.failure = new ProduceFailure(
          `gave up after ${this.retries} rounds of retries: ${cause.message}`,
          (cause as { type?: string }).type ?? 'UNKNOWN',
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** round, 2000)));
      this.retryNeeded = null;
      try {
        await this.cluster.refreshMetadata();
        this.readLeaders();
      } catch (error) {
        this.retryNeeded = error as Error;
        continue;
      }
      for (const batch of [...this.unacknowledged]) {
        await this.request(this.leaderOf(batch.partition), [batch]);
        if (this.retryNeeded || this.failure) break;
      }
    }
    if (this.failure) throw this.failure;
  }

  private async settle(): Promise<void> {
    for (const flying of this.inFlight.values()) await Promise.allSettled([...flying]);
  }

  private retriable(error: unknown): boolean {
    const e = error as { retriable?: boolean; name?: string };
    return e.retriable === true || /Connection|Timeout|NotFound/.test(e.name ?? '');
  }

  private readLeaders(): void {
    const leaders = new Map<number, number>();
    for (const p of this.cluster.findTopicPartitionMetadata(this.options.topic))
      leaders.set(p.partitionId, p.leader);
    this.leaders = leaders;
  }

  private leaderOf(partition: number): number {
    const leader = this.leaders.get(partition);
    if (leader === undefined)
      throw new ProduceFailure(
        `topic "${this.options.topic}" has no partition ${partition}`,
        'UNKNOWN_TOPIC_OR_PARTITION',
      );
    return leader;
  }

  private byLeader(batches: Pending[]): Map<number, Pending[]> {
    const groups = new Map<number, Pending[]>();
    for (const batch of batches) {
      const leader = this.leaderOf(batch.partition);
      let group = groups.get(leader);
      if (!group) groups.set(leader, (group = []));
      group.push(batch);
    }
    return groups;
  }

  private inFlightOf(nodeId: number): Set<Promise<void>> {
    let flying = this.inFlight.get(nodeId);
    if (!flying) this.inFlight.set(nodeId, (flying = new Set()));
    return flying;
  }
}

/** An upper bound of what a record adds to a batch: its bytes and the varints around them. */
function recordBytes(record: ProducerRecord): number {
  let bytes = 32 + (record.key?.length ?? 0) + (record.value?.length ?? 0);
  for (const header of record.headers)
    bytes += 10 + header.key.length * 3 + (header.value?.length ?? 0);
  return bytes;
}

/** Produce v3: transactional id, acks, timeout, one topic with one batch per partition. */
function produceRequest(topic: string, batches: Pending[]): Buffer {
  const name = Buffer.from(topic, 'utf8');
  let size = 2 + 2 + 4 + 4 + 2 + name.length + 4;
  for (const batch of batches) size += 4 + 4 + batch.bytes.length;
  const body = Buffer.allocUnsafe(size);
  let p = body.writeInt16BE(-1, 0); // no transactional id
  p = body.writeInt16BE(ACKS_ALL, p);
  p = body.writeInt32BE(TIMEOUT_MS, p);
  p = body.writeInt32BE(1, p); // topics
  p = body.writeInt16BE(name.length, p);
  p += name.copy(body, p);
  p = body.writeInt32BE(batches.length, p);
  for (const batch of batches) {
    p = body.writeInt32BE(batch.partition, p);
    p = body.writeInt32BE(batch.bytes.length, p);
    p += batch.bytes.copy(body, p);
  }
  return body;
}

/** Produce v3 response: the error code per partition (one topic was sent). */
function readProduceResponse(payload: Buffer): Map<number, number> {
  const codes = new Map<number, number>();
  let p = 0;
  const topics = payload.readInt32BE(p);
  p += 4;
  for (let t = 0; t < topics; t++) {
    p += 2 + payload.readInt16BE(p);
    const partitions = payload.readInt32BE(p);
    p += 4;
    for (let i = 0; i < partitions; i++) {
      codes.set(payload.readInt32BE(p), payload.readInt16BE(p + 4));
      p += 4 + 2 + 8 + 8;
    }
  }
  return codes;
}

/**
 * Kafka's default partitioner as kafkajs has it (the Java client's: murmur2 of the key, keyless
 * records in turn), so a record lands where a Java or kafkajs producer would put its key.
 */
export function keyPartitioner(topic: string, partitions: number): (key: Buffer | null) => number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
    partitionErrorCode: 0,
  }));
  const choose = kafkajs.Partitioners.DefaultPartitioner();
  return (key) => choose({ topic, partitionMetadata, message: { key, value: null } });
}
