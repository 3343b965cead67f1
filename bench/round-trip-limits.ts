/**
 * The store calls an HTTP operation may make (issue 13, point 4): one; PATCH two (read, merge in
 * the core, conditional write), as may an If-Match naming several versions, which the core
 * checks after a read since a store's conditional write names one.
 */
export const ROUND_TRIP_LIMITS: Readonly<Record<string, number>> = { 'PATCH /sessions/{id}': 2, 'PUT /sessions/{id} If-Match (two versions)': 2 };
