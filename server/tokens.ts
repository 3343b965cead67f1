import type { ServiceIdentifier } from 'inversify';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Clock, SessionService, SessionStore } from '../core/index.js';
import type { Config } from './config.js';
import type { Lifecycle } from './lifecycle.js';

/** The service identifiers of the composition root, one per part. */
export const TOKENS = {
  Config: Symbol('Config') as ServiceIdentifier<Config>,
  Logger: Symbol('Logger') as ServiceIdentifier<Logger>,
  Clock: Symbol('Clock') as ServiceIdentifier<Clock>,
  Lifecycle: Symbol('Lifecycle') as ServiceIdentifier<Lifecycle>,
  SessionStore: Symbol('SessionStore') as ServiceIdentifier<SessionStore>,
  SessionService: Symbol('SessionService') as ServiceIdentifier<SessionService>,
  HttpApp: Symbol('HttpApp') as ServiceIdentifier<Koa>,
  MetricsRegistry: Symbol('MetricsRegistry') as ServiceIdentifier<Registry>,
} as const;
