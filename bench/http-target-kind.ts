import { SUBJECTS } from './subjects.js';

/** The servers the HTTP level measures: two ceilings and the service over each store. */
export const HTTP_TARGETS = ['node', 'koa', 'memory', 'redis', 'dynamodb'] as const;

/** One server of the HTTP level. */
export type HttpTargetKind = (typeof HTTP_TARGETS)[number];

/** The row subject of each server. */
export const HTTP_TARGET_SUBJECT: Readonly<Record<HttpTargetKind, string>> = {
  node: SUBJECTS.httpNode,
  koa: SUBJECTS.httpKoa,
  memory: SUBJECTS.httpMemory,
  redis: SUBJECTS.httpRedis,
  dynamodb: SUBJECTS.httpDynamo,
};

/** What a target child reports once it listens. */
export interface TargetReady {
  readonly port: number;
}
