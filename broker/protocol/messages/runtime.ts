/**
 * What the generated codecs share besides Reader and Writer: the input type of encoders, the
 * version errors, and small helpers. Hand-written; the generator only refers to it.
 */
import type { BytesInput } from './writer';

/**
 * What an encoder accepts for a message type `T`: every field optional (an absent field takes its
 * default from the spec, as in Kafka's own generated classes), arrays read-only, and byte fields
 * as one buffer or a list of buffers.
 */
export type Input<T> = T extends Uint8Array
  ? BytesInput
  : T extends bigint | number | string | boolean | null | undefined
    ? T
    : T extends readonly (infer E)[]
      ? readonly Input<E>[]
      : { [K in keyof T]?: Input<T[K]> };

/** A message or field used at a version where it does not exist. */
export class UnsupportedVersionError extends Error {
  override readonly name = 'UnsupportedVersionError';
}

export function checkVersion(message: string, version: number, min: number, max: number): void {
  if (!(version >= min && version <= max)) {
    throw new UnsupportedVersionError(
      `${message} has versions ${min} to ${max}, not ${String(version)}`,
    );
  }
}

/**
 * Kafka's rule for a field that a version does not have: if the field is not `ignorable`, a
 * non-default value must not be silently dropped.
 */
export function nonDefaultAtVersion(field: string, version: number): never {
  throw new UnsupportedVersionError(
    `attempted to write a non-default ${field} at version ${version}, which does not have it`,
  );
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

export function isEmptyBytes(value: BytesInput | null): boolean {
  if (value === null) return false;
  if (value instanceof Uint8Array) return value.length === 0;
  return value.every((chunk) => chunk.length === 0);
}
