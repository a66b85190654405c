/** Builds the OpenAPI 3.1 document served at `/api/v1/openapi.json` from the route table. */
import { z } from 'zod';
import { ApiErrorBody, type RouteSpec, type Routes } from '../api';

const schema = (type: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(type, { io, unrepresentable: 'any', target: 'draft-2020-12' });

export function buildOpenApiDocument(routes: Routes, version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const [operationId, spec] of Object.entries(routes) as [string, RouteSpec][]) {
    const parameters = [
      ...objectKeys(spec.params).map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...objectKeys(spec.query).map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
    ];
    const status = String(spec.status ?? 200);
    const operation: Record<string, unknown> = {
      operationId,
      summary: spec.summary,
      tags: [spec.tag],
      parameters,
      responses: {
        [status]:
          status === '204'
            ? { description: 'No content' }
            : {
                description: 'Success',
                content: { 'application/json': { schema: schema(spec.response, 'output') } },
              },
        default: {
          description: 'An error: `{error: {code, message, field?}}`',
          content: { 'application/json': { schema: schema(ApiErrorBody, 'output') } },
        },
      },
    };
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: schema(spec.body, 'input') } },
      };
    }
    (paths[`/api/v1${spec.path}`] ??= {})[spec.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Logscope engine API',
      version,
      description:
        'Every request needs `Authorization: Bearer <token>`. Streams (status, jobs, tail, ' +
        'metrics) use the WebSocket at /api/v1/ws with subprotocols `logscope.v1` and `bearer.<token>`.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{ bearer: [] }],
    paths: { ...paths, ...FILE_TRANSFER_PATHS },
  };
}

/**
 * The two routes that carry files instead of JSON (engine/http/fileTransfer.ts): they stream,
 * so they live outside the JSON route table and are described here by hand.
 */
const FILE_TRANSFER_PATHS = {
  '/api/v1/downloads/{ticket}': {
    get: {
      operationId: 'downloadExport',
      summary:
        'Streams a finished export. The ticket comes from POST /jobs/{job}/download, works once, ' +
        'for a minute, and stands in for the token so the token never appears in a URL.',
      tags: ['transfer'],
      security: [],
      parameters: [{ name: 'ticket', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': {
          description: 'The file, with Content-Disposition naming it',
          content: { 'application/octet-stream': { schema: { type: 'string' } } },
        },
        '404': { description: 'Unknown, used or expired ticket' },
      },
    },
  },
  '/api/v1/uploads': {
    post: {
      operationId: 'uploadFile',
      summary:
        'Streams the request body to a file in the engine data directory (size-limited), ' +
        'for an import to read: answers `{path, fileName, bytes}`.',
      tags: ['transfer'],
      parameters: [{ name: 'name', in: 'query', schema: { type: 'string' } }],
      requestBody: {
        required: true,
        content: { 'application/octet-stream': { schema: { type: 'string' } } },
      },
      responses: {
        '201': {
          description: 'Stored',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  path: { type: 'string' },
                  fileName: { type: 'string' },
                  bytes: { type: 'integer' },
                },
                required: ['path', 'fileName', 'bytes'],
              },
            },
          },
        },
        '413': { description: 'Over the upload limit' },
      },
    },
  },
};

function objectKeys(type: z.ZodType | undefined): string[] {
  if (!type || !(type instanceof z.ZodObject)) return [];
  return Object.keys(type.shape);
}
