/**
 * The Kafka listener: accepts TCP (or TLS) connections and gives each one a `Connection` that
 * dispatches its requests to the handler registry. Listens on 127.0.0.1 unless told otherwise;
 * port 0 picks a free port (see `address` after `listen`).
 */
import {
  createServer as createTcpServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { DEFAULT_SOCKET_REQUEST_MAX_BYTES } from '../protocol/frame';
import { Connection, type ServerObserver } from './connection';
import type { ConnectionState, HandlerRegistry } from './handlerRegistry';
import { registerApiVersions } from './handlers/apiVersions';
import { silentLogger, type Logger } from './logger';
import { ApiKey } from '../protocol/messages/generated/index';

export interface KafkaServerOptions {
  /** The APIs served. If it has no ApiVersions handler, the standard one (0-3) is added. */
  readonly registry: HandlerRegistry;
  /** Default 127.0.0.1: the broker is for this machine unless someone says otherwise. */
  readonly host?: string;
  /** Default 9092; 0 picks a free port. */
  readonly port?: number;
  /** TLS on the listener (node:tls options: at least `cert` and `key`); plaintext when absent. */
  readonly tls?: TlsOptions;
  /** `socket.request.max.bytes`: larger frames close their connection. Default 100 MiB. */
  readonly socketRequestMaxBytes?: number;
  /** `connections.max.idle.ms`: default 10 minutes; 0 never closes idle connections. */
  readonly connectionsMaxIdleMs?: number;
  /** Requests one connection may have awaiting responses before the broker stops reading it. */
  readonly maxInFlightRequestsPerConnection?: number;
  /**
   * When this returns true, a connection that has not authenticated may only use APIs
   * registered `beforeAuthentication` (ApiVersions and the SASL exchange).
   */
  readonly requireAuthentication?: () => boolean;
  /** How long `close()` waits for in-flight requests before cutting connections. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
  readonly logger?: Logger;
  readonly observer?: ServerObserver;
}

export class KafkaServer {
  private server: Server | null = null;
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private closing: Promise<void> | null = null;
  private readonly logger: Logger;

  constructor(private readonly options: KafkaServerOptions) {
    this.logger = options.logger ?? silentLogger;
    if (!options.registry.has(ApiKey.ApiVersions)) registerApiVersions(options.registry);
  }

  /** Starts listening; resolves with the bound address. */
  listen(): Promise<{ host: string; port: number }> {
    if (this.server) throw new Error('the server is already listening');
    const onSocket = (socket: Socket): void => this.accept(socket);
    const server = this.options.tls
      ? createTlsServer(this.options.tls, onSocket).on('tlsClientError', (error, socket) => {
          this.logger.debug('TLS handshake failed', {
            client: `${socket.remoteAddress}:${socket.remotePort}`,
            error,
          });
        })
      : createTcpServer(onSocket);
    this.server = server;
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? 9092;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.logger.error('listener error', { error }));
        resolve(this.address);
      });
    });
  }

  /** The bound address (after `listen`). */
  get address(): { host: string; port: number } {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the server is not listening');
    return { host: address.address, port: address.port };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  private accept(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    const state: ConnectionState = {
      id: this.nextConnectionId++,
      remoteAddress: socket.remoteAddress ?? '',
      remotePort: socket.remotePort ?? 0,
      tls: this.options.tls !== undefined,
      authenticated: false,
      principal: 'User:ANONYMOUS',
      clientSoftwareName: null,
      clientSoftwareVersion: null,
      attributes: new Map(),
    };
    const connection = new Connection(socket, state, {
      registry: this.options.registry,
      logger: this.logger,
      observer: this.options.observer,
      maxFrameBytes: this.options.socketRequestMaxBytes ?? DEFAULT_SOCKET_REQUEST_MAX_BYTES,
      maxInFlightRequests: this.options.maxInFlightRequestsPerConnection ?? 100,
      idleTimeoutMs: this.options.connectionsMaxIdleMs ?? 600_000,
      requireAuthentication: this.options.requireAuthentication ?? (() => false),
    });
    this.connections.add(connection);
    this.logger.debug('connection opened', {
      connection: state.id,
      client: `${state.remoteAddress}:${state.remotePort}`,
    });
    void connection.whenClosed.then(() => this.connections.delete(connection));
  }

  /**
   * Stops accepting connections, lets requests already received finish and their responses go
   * out (handlers see their abort signal), then closes every connection. Connections still open
   * after `shutdownTimeoutMs` are cut.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    const drained = Promise.all([...this.connections].map((c) => c.drain()));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.shutdownTimeoutMs ?? 10_000);
    });
    await Promise.race([drained, timeout]);
    clearTimeout(timer);
    for (const connection of this.connections) connection.close('broker shutting down');
    await Promise.all([...this.connections].map((c) => c.whenClosed));
    await stopped;
  }
}
