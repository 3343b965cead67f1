import { docsRoutes } from './docs-routes.js';
import { eventRoutes } from './event-routes.js';
import { listingRoutes } from './listing-routes.js';
import { metricsRoutes } from './metrics-routes.js';
import { probeRoutes } from './probe-routes.js';
import type { Route } from './route.js';
import { sessionRoutes } from './session-routes.js';

/**
 * Every route of the API, each declared once. The router, the auth guard, validation and the
 * OpenAPI document are all made from this list: a route added here is served, guarded,
 * validated and documented with no other edit.
 */
export const ROUTE_TABLE: readonly Route[] = [...sessionRoutes, ...listingRoutes, ...eventRoutes, ...probeRoutes, ...metricsRoutes, ...docsRoutes];
