// Types for the two pure-JS compression packages that ship none. Only what this folder uses.

declare module 'lz4js' {
  /**
   * Compresses `src[sIndex, sIndex + sLength)` as one raw LZ4 block into `dst` from index 0.
   * `hashTable` (65,536 entries) holds positions + 1 of earlier input; clear it for an
   * independent block. Returns the compressed size, or 0 when nothing could be matched.
   */
  export function compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
  export function compressBound(n: number): number;
  /** Compresses to an LZ4 frame (4 MiB linked blocks, no checksums). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'snappyjs' {
  /** Raw snappy (the block format with its length preamble), as Buffer for a Buffer. */
  export function compress<T extends Uint8Array | ArrayBuffer>(uncompressed: T): T;
  export function uncompress<T extends Uint8Array | ArrayBuffer>(
    compressed: T,
    maxLength?: number,
  ): T;
}
