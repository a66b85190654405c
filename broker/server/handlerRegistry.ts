/**
 * Which APIs the broker answers, with which versions, and who answers them. A registration is
 * an API key, the version range the broker advertises for it in ApiVersions (clients infer
 * features from these, so they should look like a real Kafka release), and a handler:
 * `async (request, context) => response`. Only registered APIs are advertised.
 */
import { ApiKey, apiDescriptor, type ApiMessages } from '../protocol/messages/generated/index';
import type { Input } from '../protocol/messages/runtime';
import type { RequestHeader } from '../protocol/messages/envelope';

/**
 * After a SaslHandshake v0 (KIP-43), the client sends its SASL tokens as bare size-prefixed
 * frames instead of SaslAuthenticate requests. The handshake handler sets this connection
 * attribute to a function that takes one token and returns the bare token to send back, or
 * null to end the connection (failed authentication); it removes it when done.
 */
export const RAW_SASL_TOKENS: unique symbol = Symbol('raw SASL tokens');
export type RawSaslTokens = (token: Buffer) => Buffer | null;

/** A handler returns this to send no response at all (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('no response');
export type NoResponse = typeof NO_RESPONSE;

/**
 * Thrown by a handler to close the connection instead of answering — what Kafka does when a
 * produce with acks=0 fails, since the client has no other way to learn of it.
 */
export class CloseConnection extends Error {
  override readonly name = 'CloseConnection';
}

/** What the broker knows about one client connection; handlers may update the mutable parts. */
export interface ConnectionState {
  readonly id: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly tls: boolean;
  /**
   * Whether the connection may use APIs beyond the SASL exchange when the server requires
   * authentication. The SaslAuthenticate handler sets it (and `principal`) once the client
   * has proven who it is.
   */
  authenticated: boolean;
  /** Kafka principal, e.g. "User:alice"; "User:ANONYMOUS" until authenticated. */
  principal: string;
  /** From ApiVersions v3+ (KIP-511). */
  clientSoftwareName: string | null;
  clientSoftwareVersion: string | null;
  /** Per-connection state for handlers (SASL exchange, …), keyed by whatever they choose. */
  readonly attributes: Map<string | symbol, unknown>;
}

export interface RequestContext {
  readonly header: RequestHeader;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly connection: ConnectionState;
  /**
   * Aborted when the connection closes or the server shuts down: a handler that waits (a
   * Fetch long poll) should answer with what it has, or give up.
   */
  readonly signal: AbortSignal;
  /** Size of the request frame in bytes (without its size prefix). */
  readonly requestBytes: number;
  /**
   * For serial APIs: the part of this request that must come after the previous request and
   * before the next is done, so the next may start now rather than when this one settles (a
   * Produce whose batches are queued in their partitions: waiting for their write and sync
   * need not hold the next Produce back, which then shares that sync). Idempotent; a no-op
   * for other APIs.
   */
  readonly releaseSerialOrder: () => void;
}

export type ApiResponse<K extends keyof ApiMessages> = Input<ApiMessages[K]['response']>;

export type ApiHandler<K extends keyof ApiMessages> = (
  request: ApiMessages[K]['request'],
  context: RequestContext,
) => Promise<ApiResponse<K> | NoResponse> | ApiResponse<K> | NoResponse;

export interface ApiRegistration<K extends keyof ApiMessages = keyof ApiMessages> {
  readonly apiKey: K;
  /** Advertised version range, inclusive; requests outside it are refused. */
  readonly minVersion: number;
  readonly maxVersion: number;
  readonly handle: ApiHandler<K>;
  /**
   * Requests of serial APIs on one connection run one after another, in arrival order, as
   * Kafka runs them (a pipelining idempotent producer relies on Produce order). Other handlers
   * start in arrival order but may overlap. Responses always leave in request order.
   */
  readonly serial: boolean;
  /** May be used before the connection authenticated (ApiVersions and the SASL exchange). */
  readonly beforeAuthentication: boolean;
}

export interface RegistrationOptions<K extends keyof ApiMessages> {
  minVersion: number;
  maxVersion: number;
  handle: ApiHandler<K>;
  serial?: boolean;
  beforeAuthentication?: boolean;
}

export interface AdvertisedVersions {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export class HandlerRegistry {
  private readonly registrations = new Map<number, ApiRegistration>();

  /** Registers (or replaces) the handler of an API. */
  register<K extends keyof ApiMessages>(apiKey: K, options: RegistrationOptions<K>): this {
    const api = apiDescriptor(apiKey);
    if (api === undefined) throw new RangeError(`unknown API key ${apiKey}`);
    const { minVersion, maxVersion } = options;
    if (
      !Number.isInteger(minVersion) ||
      !Number.isInteger(maxVersion) ||
      minVersion < api.minVersion ||
      maxVersion > api.maxVersion ||
      minVersion > maxVersion
    ) {
      throw new RangeError(
        `${api.name} versions ${minVersion}-${maxVersion} are not within ${api.minVersion}-${api.maxVersion}`,
      );
    }
    const registration: ApiRegistration<K> = {
      apiKey,
      minVersion,
      maxVersion,
      handle: options.handle,
      serial: options.serial ?? false,
      beforeAuthentication: options.beforeAuthentication ?? false,
    };
    this.registrations.set(apiKey, registration as unknown as ApiRegistration);
    return this;
  }

  get(apiKey: number): ApiRegistration | undefined {
    return this.registrations.get(apiKey);
  }

  has(apiKey: number): boolean {
    return this.registrations.has(apiKey);
  }

  /** The version ranges to advertise in ApiVersions: the registered APIs, by key. */
  advertised(): AdvertisedVersions[] {
    return [...this.registrations.values()]
      .sort((a, b) => a.apiKey - b.apiKey)
      .map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }));
  }

  /** The ApiVersions entry alone, for the UNSUPPORTED_VERSION answer to ApiVersions. */
  apiVersionsEntry(): AdvertisedVersions[] {
    const own = this.registrations.get(ApiKey.ApiVersions);
    return own
      ? [{ apiKey: own.apiKey, minVersion: own.minVersion, maxVersion: own.maxVersion }]
      : [];
  }
}
