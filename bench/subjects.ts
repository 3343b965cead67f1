/** The names rows carry, shared by the workloads that measure and the targets that compare. */
export const SUBJECTS = {
  memoryOurs: 'MemorySessionStore (ours)',
  memorystore: 'memorystore',
  expressMemoryStore: 'express-session MemoryStore',
  redisOurs: 'RedisSessionStore (ours)',
  redisRaw: 'raw ioredis (ceiling)',
  connectRedis: 'connect-redis 7',
  dynamoOurs: 'DynamoSessionStore (ours)',
  dynamoRaw: 'raw lib-dynamodb (ceiling)',
  connectDynamo: 'connect-dynamodb',
  httpNode: 'bare node:http (ceiling)',
  httpKoa: 'bare Koa route (ceiling)',
  httpMemory: 'service + memory store',
  httpRedis: 'service + Redis store',
  httpDynamo: 'service + DynamoDB store',
  heapHold: 'memory store, held',
  heapChurn: 'memory store, churn',
} as const;
