/**
 * Whole Kafka messages: request and response headers around a body, in the header version each
 * API and version calls for (request header 1 or 2, response header 0 or 1; ApiVersions responses
 * always use response header 0, so that a client can read one whatever version it asked for).
 * Frames carry an int32 size prefix; the functions here read frame bodies (the size already
 * removed by the frame decoder) and write whole frames.
 */
import { DecodeError, Reader } from './reader';
import { Writer } from './writer';
import type { Input } from './runtime';
import {
  type ApiMessages,
  apiCodec,
  apiDescriptor,
  requestHeaderVersion,
  responseHeaderVersion,
} from './generated/index';
import {
  type RequestHeader,
  readRequestHeader,
  writeRequestHeader,
} from './generated/RequestHeader';
import { readResponseHeader, writeResponseHeader } from './generated/ResponseHeader';

export type { RequestHeader } from './generated/RequestHeader';

/** A request names an API key that Kafka does not define. */
export class UnknownApiKeyError extends DecodeError {}

/**
 * Reads the request header at the reader's position, in the version its API key and version
 * imply. Throws `UnknownApiKeyError` for an API key Kafka does not define, `DecodeError` for
 * bytes that are not a header.
 */
export function readRequestHeaderOf(r: Reader): RequestHeader {
  if (r.remaining < 4)
    throw new DecodeError(`a request header needs 4 bytes, ${r.remaining} given`);
  const apiKey = r.buffer.readInt16BE(r.offset);
  const apiVersion = r.buffer.readInt16BE(r.offset + 2);
  if (apiDescriptor(apiKey) === undefined)
    throw new UnknownApiKeyError(`unknown API key ${apiKey}`);
  return readRequestHeader(r, requestHeaderVersion(apiKey, apiVersion));
}

/** Reads a request body of `apiKey` at `apiVersion` (after its header). */
export function readRequestBody(r: Reader, apiKey: number, apiVersion: number): unknown {
  const codec = apiCodec(apiKey);
  if (codec === undefined) throw new UnknownApiKeyError(`unknown API key ${apiKey}`);
  return codec.readRequest(r, apiVersion);
}

/** A whole request frame (size prefix, header, body), as a client sends it. */
export function encodeRequestFrame<K extends keyof ApiMessages>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
  body: Input<ApiMessages[K]['request']>,
): Buffer {
  const w = new Writer(256, true);
  writeRequestHeader(
    w,
    { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId },
    requestHeaderVersion(apiKey, apiVersion),
  );
  apiCodec(apiKey)!.writeRequest(w, body, apiVersion);
  return w.toBuffer();
}

/**
 * A whole response frame (size prefix, header, body) as chunks for one gathering write: record
 * data in the body is referenced, not copied.
 */
export function encodeResponseFrame(
  apiKey: number,
  apiVersion: number,
  correlationId: number,
  body: unknown,
): Uint8Array[] {
  const codec = apiCodec(apiKey);
  if (codec === undefined) throw new UnknownApiKeyError(`unknown API key ${apiKey}`);
  const w = new Writer(256, true);
  writeResponseHeader(w, { correlationId }, responseHeaderVersion(apiKey, apiVersion));
  codec.writeResponse(w, body as Input<unknown>, apiVersion);
  return w.finish();
}

/** Reads a response frame body (after the size prefix), as a client does. */
export function decodeResponseFrame<K extends keyof ApiMessages>(
  frame: Uint8Array,
  apiKey: K,
  apiVersion: number,
): { correlationId: number; body: ApiMessages[K]['response'] } {
  const r = new Reader(frame);
  const { correlationId } = readResponseHeader(r, responseHeaderVersion(apiKey, apiVersion));
  const body = apiCodec(apiKey)!.readResponse(r, apiVersion) as ApiMessages[K]['response'];
  return { correlationId, body };
}
