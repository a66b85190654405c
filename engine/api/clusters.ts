/**
 * Clusters: the data sources the engine reaches. `local` is the bundled broker (always
 * present, not editable), `kafka` an external cluster reached with kafkajs, `offline` a
 * directory of log files read without a broker.
 */
import { z } from 'zod';

export const ClusterId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, at most 63');

const BootstrapServer = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'host:port, e.g. kafka-1.example.com:9092');

export const SaslMechanism = z.enum(['plain', 'scram-sha-256', 'scram-sha-512']);

export const SaslSettings = z.object({
  mechanism: SaslMechanism,
  username: z.string().min(1),
  /** Write-only: the API never returns it; `hasPassword` says whether one is stored. */
  password: z.string().optional(),
});

export const TlsSettings = z.object({
  enabled: z.boolean(),
  /** PEM text of the CA certificate(s) to trust instead of the system store. */
  ca: z.string().optional(),
  cert: z.string().optional(),
  /** Write-only, like a SASL password. */
  key: z.string().optional(),
  serverName: z.string().optional(),
  /** Turning verification off is allowed but is reported as a warning on the cluster. */
  rejectUnauthorized: z.boolean().default(true),
});

export const KafkaClusterInput = z.object({
  kind: z.literal('kafka'),
  name: z.string().min(1).max(100),
  bootstrapServers: z.array(BootstrapServer).min(1),
  clientId: z.string().min(1).max(200).optional(),
  sasl: SaslSettings.optional(),
  tls: TlsSettings.optional(),
});

/** A full path (POSIX, Windows drive or UNC) or one in the home folder (`~/…`). */
const FULL_PATH = /^(~(\/|\\|$)|\/|[A-Za-z]:[\\/]|\\\\)/;

export const OfflineClusterInput = z.object({
  kind: z.literal('offline'),
  name: z.string().min(1).max(100).optional(),
  // A relative path would be read from the engine's own working folder, which means nothing
  // to the person typing it.
  path: z
    .string()
    .min(1)
    .regex(FULL_PATH, 'Give the full path of the folder or file (starting with / or ~/).'),
});

export const ClusterInput = z.discriminatedUnion('kind', [KafkaClusterInput, OfflineClusterInput]);
export type ClusterInput = z.infer<typeof ClusterInput>;

export const ClusterPatch = z.object({
  name: z.string().min(1).max(100).optional(),
  bootstrapServers: z.array(BootstrapServer).min(1).optional(),
  clientId: z.string().min(1).max(200).optional(),
  sasl: SaslSettings.nullable().optional(),
  tls: TlsSettings.nullable().optional(),
});
export type ClusterPatch = z.infer<typeof ClusterPatch>;

export const ClusterKind = z.enum(['local', 'kafka', 'offline']);

/** A cluster as the API returns it: secrets replaced by `has…` flags. */
export const Cluster = z.object({
  id: ClusterId,
  name: z.string(),
  kind: ClusterKind,
  /** True for the bundled local broker, which cannot be edited or removed. */
  builtIn: z.boolean(),
  bootstrapServers: z.array(z.string()),
  clientId: z.string().optional(),
  sasl: z
    .object({ mechanism: SaslMechanism, username: z.string(), hasPassword: z.boolean() })
    .optional(),
  tls: z
    .object({
      enabled: z.boolean(),
      hasCa: z.boolean(),
      hasClientCert: z.boolean(),
      serverName: z.string().optional(),
      rejectUnauthorized: z.boolean(),
    })
    .optional(),
  path: z.string().optional(),
  /** Things the user should know, e.g. TLS verification turned off. */
  warnings: z.array(z.string()),
  createdAt: z.number(),
});
export type Cluster = z.infer<typeof Cluster>;

export const ClusterList = z.object({ clusters: z.array(Cluster) });
export type ClusterList = z.infer<typeof ClusterList>;

export const ClusterParams = z.object({ cluster: ClusterId });
