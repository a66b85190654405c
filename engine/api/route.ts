/**
 * A route of the engine API, declared once: the server validates with these schemas, the
 * OpenAPI document is generated from them, and the renderer's client takes its types from them.
 */
import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

type Schema = z.ZodType | undefined;

export interface RouteSpec<
  Params extends Schema = Schema,
  Query extends Schema = Schema,
  Body extends Schema = Schema,
  Response extends z.ZodType = z.ZodType,
> {
  method: HttpMethod;
  /** Path below `/api/v1`, with `{name}` segments as in OpenAPI. */
  path: string;
  summary: string;
  tag: string;
  params?: Params;
  query?: Query;
  body?: Body;
  response: Response;
  /** 200 unless stated; 201 for creations, 202 for started jobs, 204 for no content. */
  status?: 200 | 201 | 202 | 204;
}

export function defineRoute<
  Response extends z.ZodType,
  Params extends Schema = undefined,
  Query extends Schema = undefined,
  Body extends Schema = undefined,
>(spec: RouteSpec<Params, Query, Body, Response>): RouteSpec<Params, Query, Body, Response> {
  return spec;
}

type Parsed<S, Otherwise> = [Exclude<S, undefined>] extends [never]
  ? Otherwise
  : Exclude<S, undefined> extends z.ZodType
    ? z.infer<Exclude<S, undefined>>
    : Otherwise;

/** The validated input a handler receives for a route. */
export interface RouteInput<R extends RouteSpec> {
  params: Parsed<R['params'], Record<string, never>>;
  query: Parsed<R['query'], Record<string, never>>;
  body: Parsed<R['body'], undefined>;
}

/** What a route's handler returns (and what a client of it receives). */
export type RouteOutput<R extends RouteSpec> = z.infer<R['response']>;
/** What a client sends: the schema's input side, so defaults may be left out. */
export type RouteBody<R extends RouteSpec> = [Exclude<R['body'], undefined>] extends [never]
  ? undefined
  : Exclude<R['body'], undefined> extends z.ZodType
    ? z.input<Exclude<R['body'], undefined>>
    : undefined;
