import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Reader } from './reader';
import { Writer } from './writer';
import { SPECS, messageArbitrary, validVersions, type MessageSpec } from './specArbitraries';

type ReadFn = (r: Reader, version: number) => unknown;
type WriteFn = (w: Writer, value: unknown, version: number) => void;

/** The generated module holding a message: an API's module is named for the API. */
function moduleName(spec: MessageSpec): string {
  return spec.apiKey !== undefined && (spec.type === 'request' || spec.type === 'response')
    ? spec.name.replace(/(Request|Response)$/, '')
    : spec.name;
}

async function codecOf(spec: MessageSpec): Promise<{ read: ReadFn; write: WriteFn }> {
  const module = (await import(`./generated/${moduleName(spec)}.ts`)) as Record<string, unknown>;
  return {
    read: module[`read${spec.name}`] as ReadFn,
    write: module[`write${spec.name}`] as WriteFn,
  };
}

function encode(write: WriteFn, value: unknown, version: number): Buffer {
  const w = new Writer(64);
  write(w, value, version);
  return w.toBuffer();
}

/** Encode → decode gives the value back, consumes every byte, and re-encodes to the same bytes. */
function roundTrips(spec: MessageSpec, codec: { read: ReadFn; write: WriteFn }, version: number) {
  return (value: Record<string, unknown>) => {
    const bytes = encode(codec.write, value, version);
    const reader = new Reader(bytes);
    const decoded = codec.read(reader, version);
    expect(reader.remaining).toBe(0);
    expect(decoded).toEqual(value);
    expect(encode(codec.write, decoded, version)).toEqual(bytes);
  };
}

// The APIs whose messages are richest (nested arrays, nullable and tagged fields, records, uuids)
// get more and larger cases; every other message still round-trips at every version.
const RICH = new Set([
  'MetadataRequest',
  'MetadataResponse',
  'FetchRequest',
  'FetchResponse',
  'ProduceRequest',
  'ProduceResponse',
  'JoinGroupRequest',
  'JoinGroupResponse',
  'CreateTopicsRequest',
  'CreateTopicsResponse',
]);

// CPU-bound property runs over hundreds of message versions: seconds, not the default 5 s.
describe('generated codecs round-trip arbitrary values', { timeout: 120_000 }, () => {
  for (const name of [...RICH].sort()) {
    const spec = SPECS[name]!;
    it(`${name} at every version ${spec.validVersions}`, async () => {
      const codec = await codecOf(spec);
      for (const version of validVersions(spec)) {
        fc.assert(
          fc.property(
            messageArbitrary(name, version, { maxArrayLength: 4, maxStringLength: 40 }),
            roundTrips(spec, codec, version),
          ),
          { numRuns: 150 },
        );
      }
    });
  }

  it('every other message at every version', async () => {
    const names = Object.keys(SPECS)
      .filter((name) => !RICH.has(name))
      .sort();
    expect(names.length).toBeGreaterThan(150);
    for (const name of names) {
      const spec = SPECS[name]!;
      const codec = await codecOf(spec);
      for (const version of validVersions(spec)) {
        try {
          fc.assert(
            fc.property(messageArbitrary(name, version), roundTrips(spec, codec, version)),
            {
              numRuns: 15,
            },
          );
        } catch (error) {
          throw new Error(`${name} v${version}: ${String(error)}`, { cause: error });
        }
      }
    }
  });
});
