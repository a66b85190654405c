/**
 * Matches `/api/v1/…` requests to the route table and validates params, query and body with
 * the route's schemas before the handler sees them.
 */
import type { z } from 'zod';
import type { HttpMethod, RouteInput, RouteOutput, RouteSpec, Routes } from '../api';
import { ApiError, parseOrFail } from './apiError';

export type Handler<R extends RouteSpec> = (input: RouteInput<R>) => Promise<RouteOutput<R>>;
export type Handlers = { [K in keyof Routes]: Handler<Routes[K]> };

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  paramNames: string[];
  handler: Handler<RouteSpec>;
}

export interface Match {
  route: CompiledRoute;
  rawParams: Record<string, string>;
}

function compile(path: string): { pattern: RegExp; paramNames: string[] } {
  const paramNames: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), paramNames };
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Routes, handlers: Handlers) {
    this.compiled = Object.entries(routes).map(([name, spec]) => {
      const handler = (handlers as unknown as Record<string, Handler<RouteSpec>>)[name];
      if (!handler) throw new Error(`route ${name} has no handler`);
      return { spec, handler, ...compile(spec.path) };
    });
    // Literal segments must win over parameters (`/jobs/count` before `/jobs/{job}`).
    this.compiled.sort((a, b) => a.paramNames.length - b.paramNames.length);
  }

  match(method: string, path: string): Match {
    let pathMatched = false;
    for (const route of this.compiled) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.spec.method !== (method as HttpMethod)) continue;
      const rawParams: Record<string, string> = {};
      route.paramNames.forEach((name, i) => {
        rawParams[name] = decodeURIComponent(found[i + 1]!);
      });
      return { route, rawParams };
    }
    if (pathMatched)
      throw new ApiError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}.`);
    throw new ApiError('NOT_FOUND', `There is no API route ${method} /api/v1${path}.`);
  }

  async run(match: Match, query: URLSearchParams, body: unknown): Promise<unknown> {
    const { spec, handler } = match.route;
    const input = {
      params: parse(spec.params, match.rawParams, 'params'),
      query: parse(spec.query, Object.fromEntries(query), 'query'),
      body: spec.body ? parse(spec.body, body, 'body') : undefined,
    };
    return handler(input as RouteInput<RouteSpec>);
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  return schema ? parseOrFail(schema, value, where) : {};
}
