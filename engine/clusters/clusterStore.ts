/**
 * Saved clusters. Settings live in `<data-dir>/engine/clusters.json`; secrets (SASL passwords,
 * TLS keys) never do: they go to a SecretVault — memory for this run by default, or a file
 * encrypted with the key from `--secrets-key-file`. The local broker is not stored: it is
 * derived from the running broker's address.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ClusterInput, type Cluster, type ClusterPatch } from '../api';
import { ApiError, notFound } from '../http/apiError';
import { MemoryVault, type ClusterSecrets, type SecretVault } from './secretVault';

export const LOCAL_CLUSTER_ID = 'local';

const StoredCluster = z.object({
  id: z.string(),
  createdAt: z.number(),
  config: ClusterInput,
});
type StoredCluster = z.infer<typeof StoredCluster>;
const StoredFile = z.object({ version: z.literal(1), clusters: z.array(StoredCluster) });

type Secrets = ClusterSecrets;

export interface LocalBrokerInfo {
  bootstrapServer: string | null;
  adminUrl: string | null;
}

export class ClusterStore {
  private clusters: StoredCluster[] = [];
  private readonly secrets = new Map<string, Secrets>();
  private readonly file: string;

  private constructor(
    dataDir: string,
    private readonly localBroker: () => LocalBrokerInfo,
    private readonly vault: SecretVault,
  ) {
    this.file = join(dataDir, 'engine', 'clusters.json');
  }

  static async open(
    dataDir: string,
    localBroker: () => LocalBrokerInfo,
    vault: SecretVault = new MemoryVault(),
  ): Promise<ClusterStore> {
    const store = new ClusterStore(dataDir, localBroker, vault);
    await store.load();
    return store;
  }

  list(): Cluster[] {
    return [this.local(), ...this.clusters.map((c) => this.present(c))];
  }

  get(id: string): Cluster {
    if (id === LOCAL_CLUSTER_ID) return this.local();
    return this.present(this.stored(id));
  }

  async create(input: ClusterInput): Promise<Cluster> {
    const stored: StoredCluster = {
      id: this.newId(input.kind === 'kafka' ? input.name : (input.name ?? input.path)),
      createdAt: Date.now(),
      config: this.withoutSecrets(input),
    };
    this.keepSecrets(stored.id, input);
    this.clusters.push(stored);
    await this.save();
    return this.present(stored);
  }

  async update(id: string, patch: ClusterPatch): Promise<Cluster> {
    const stored = this.stored(id);
    if (stored.config.kind !== 'kafka') {
      if (patch.name === undefined || Object.keys(patch).length > 1) {
        throw new ApiError('BAD_REQUEST', 'An offline cluster can only be renamed.', {
          field: 'body',
        });
      }
      stored.config = { ...stored.config, name: patch.name };
    } else {
      const next = { ...stored.config };
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.bootstrapServers !== undefined) next.bootstrapServers = patch.bootstrapServers;
      if (patch.clientId !== undefined) next.clientId = patch.clientId;
      if (patch.sasl === null) delete next.sasl;
      else if (patch.sasl !== undefined) next.sasl = patch.sasl;
      if (patch.tls === null) delete next.tls;
      else if (patch.tls !== undefined) next.tls = patch.tls;
      this.keepSecrets(id, next);
      stored.config = this.withoutSecrets(next);
    }
    await this.save();
    return this.present(stored);
  }

  async remove(id: string): Promise<void> {
    this.stored(id);
    this.clusters = this.clusters.filter((c) => c.id !== id);
    this.secrets.delete(id);
    await this.save();
  }

  /** The full settings of a cluster, secrets included, for connecting to it. */
  connectionSettings(id: string): { config: ClusterInput; secrets: Secrets } {
    const stored = this.stored(id);
    return { config: stored.config, secrets: { ...this.secrets.get(id) } };
  }

  private local(): Cluster {
    const broker = this.localBroker();
    return {
      id: LOCAL_CLUSTER_ID,
      name: 'Local broker',
      kind: 'local',
      builtIn: true,
      bootstrapServers: broker.bootstrapServer ? [broker.bootstrapServer] : [],
      warnings: broker.bootstrapServer ? [] : ['The local broker is turned off.'],
      createdAt: 0,
    };
  }

  private stored(id: string): StoredCluster {
    if (id === LOCAL_CLUSTER_ID) {
      throw new ApiError(
        'CONFLICT',
        'The local broker is built in: it cannot be changed or removed.',
      );
    }
    const stored = this.clusters.find((c) => c.id === id);
    if (!stored) throw notFound(`Cluster "${id}"`);
    return stored;
  }

  private present(stored: StoredCluster): Cluster {
    const { config } = stored;
    const secrets = this.secrets.get(stored.id) ?? {};
    if (config.kind === 'offline') {
      return {
        id: stored.id,
        name: config.name ?? config.path,
        kind: 'offline',
        builtIn: false,
        bootstrapServers: [],
        path: config.path,
        warnings: [],
        createdAt: stored.createdAt,
      };
    }
    const warnings: string[] = [];
    if (config.tls?.enabled && config.tls.rejectUnauthorized === false) {
      warnings.push('TLS certificate verification is turned off for this cluster.');
    }
    if (config.sasl && secrets.saslPassword === undefined) {
      warnings.push(
        this.vault.durable
          ? 'The SASL password is missing; enter it to connect.'
          : 'The SASL password is not stored; enter it again to connect.',
      );
    }
    const cluster: Cluster = {
      id: stored.id,
      name: config.name,
      kind: 'kafka',
      builtIn: false,
      bootstrapServers: config.bootstrapServers,
      warnings,
      createdAt: stored.createdAt,
    };
    if (config.clientId !== undefined) cluster.clientId = config.clientId;
    if (config.sasl) {
      cluster.sasl = {
        mechanism: config.sasl.mechanism,
        username: config.sasl.username,
        hasPassword: secrets.saslPassword !== undefined,
      };
    }
    if (config.tls) {
      cluster.tls = {
        enabled: config.tls.enabled,
        hasCa: config.tls.ca !== undefined,
        hasClientCert: config.tls.cert !== undefined && secrets.tlsKey !== undefined,
        rejectUnauthorized: config.tls.rejectUnauthorized,
      };
      if (config.tls.serverName !== undefined) cluster.tls.serverName = config.tls.serverName;
    }
    return cluster;
  }

  private withoutSecrets(input: ClusterInput): ClusterInput {
    if (input.kind !== 'kafka') return input;
    const copy = structuredClone(input);
    if (copy.sasl) delete copy.sasl.password;
    if (copy.tls) delete copy.tls.key;
    return copy;
  }

  private keepSecrets(id: string, input: ClusterInput): void {
    if (input.kind !== 'kafka') return;
    const secrets = this.secrets.get(id) ?? {};
    if (input.sasl?.password !== undefined) secrets.saslPassword = input.sasl.password;
    if (!input.sasl) delete secrets.saslPassword;
    if (input.tls?.key !== undefined) secrets.tlsKey = input.tls.key;
    if (!input.tls) delete secrets.tlsKey;
    this.secrets.set(id, secrets);
  }

  private newId(name: string): string {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 40) || 'cluster';
    let id = base === LOCAL_CLUSTER_ID ? `${base}-2` : base;
    while (this.clusters.some((c) => c.id === id)) id = `${base}-${randomBytes(2).toString('hex')}`;
    return id;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const parsed = StoredFile.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(
        `${this.file} is not a valid cluster list: ${parsed.error.issues[0]?.message}`,
      );
    }
    this.clusters = parsed.data.clusters;
    const secrets = await this.vault.load();
    for (const cluster of this.clusters) {
      const kept = secrets[cluster.id];
      if (kept) this.secrets.set(cluster.id, kept);
    }
  }

  /** Writes to a temporary file and renames it, so a crash never leaves half a file. */
  private async save(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ version: 1, clusters: this.clusters }, null, 2));
    await rename(temporary, this.file);
    await this.vault.save(Object.fromEntries(this.secrets));
  }
}
