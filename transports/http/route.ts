import type { Context } from 'koa';
import type { Registry } from 'prom-client';
import type * as z from 'zod';
import type { EventPage, SessionService } from '../../core/index.js';
import type { ProblemKind } from './problem-catalogue.js';

/** Who may call a route. */
export type AuthRule =
  /** Anyone: probes and the reference. */
  | 'public'
  /** A bearer token when the service has API tokens. */
  | 'api-token'
  /** A bearer token when the service has API tokens and `/metrics` is told to ask for one. */
  | 'metrics-token';

/** What a route's handler may use besides its input. */
export interface RouteDeps {
  readonly service: SessionService;
  readonly isDraining: () => boolean;
  readonly registry?: Registry | undefined;
  /** The OpenAPI document, serialised once. */
  readonly documentJson: string;
  /** Counts the events a page answers (into the metrics, when the app has a registry). */
  readonly countEvents?: ((page: EventPage) => void) | undefined;
}

/** What a handler answers; the route's declared response for `status` says how it is sent. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The Content-Type, when the declared response has more than one media type. */
  readonly type?: string;
}

/** One documented answer of a route. */
export interface RouteResponse {
  readonly description: string;
  /** The body; absent for a response without one (304). */
  readonly schema?: z.ZodType;
  /** Default `application/json`; a body that is a string is sent as it is. */
  readonly mediaType?: string | readonly string[];
  /** The response headers, documented with their schema. */
  readonly headers?: z.ZodObject;
}

type Part = z.ZodType | undefined;
type Parsed<S extends Part> = S extends z.ZodType ? z.output<S> : undefined;

/** A route's input, validated against its declaration. */
export interface RouteInput<P extends Part, Q extends Part, H extends Part, B extends Part> {
  readonly params: Parsed<P>;
  readonly query: Parsed<Q>;
  readonly headers: Parsed<H>;
  readonly body: Parsed<B>;
}

/** A route, declared once: routing, auth, validation and the OpenAPI document all come from it. */
export interface RouteDeclaration<P extends Part, Q extends Part, H extends Part, B extends Part> {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** An OpenAPI path template: `/sessions/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description: string;
  readonly tag: RouteTag;
  readonly auth: AuthRule;
  readonly request: {
    readonly params?: P;
    readonly query?: Q;
    readonly headers?: H;
    /** A required JSON body. */
    readonly body?: B;
    /** The body may be left out, which reads as `{}` (a rotation needs no options). */
    readonly bodyOptional?: boolean;
  };
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** The problems the handler may answer, besides those the table adds for auth and input. */
  readonly problems: readonly ProblemKind[];
  /** `Cache-Control` of every answer; default `no-store` (session data is a credential's payload). */
  readonly cacheControl?: string | null;
  /** Whether the app serves it with these dependencies (`/metrics` needs a registry). */
  readonly servedWith?: (deps: RouteDeps) => boolean;
  handle(input: RouteInput<P, Q, H, B>, deps: RouteDeps, ctx: Context): Reply | Promise<Reply>;
}

/** The tags that group the document's operations. */
export const ROUTE_TAGS = {
  sessions: 'Create, read, change, extend and end sessions.',
  listings: 'Page through sessions, all or one user\u2019s, and end a user\u2019s sessions.',
  events: 'Read what happened to sessions (created, updated, refreshed, rotated, deleted, expired), in order.',
  operations: 'Probes, metrics and this reference.',
} as const;

/** A tag of the document. */
export type RouteTag = keyof typeof ROUTE_TAGS;

/** A route of the table, its types erased. */
export type Route = RouteDeclaration<Part, Part, Part, Part>;

/** Declares a route; the types of its input follow from its schemas. */
export function defineRoute<P extends Part = undefined, Q extends Part = undefined, H extends Part = undefined, B extends Part = undefined>(
  route: RouteDeclaration<P, Q, H, B>,
): Route {
  return route as unknown as Route;
}
