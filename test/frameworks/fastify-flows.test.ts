import { createFastifyStore, listUserSessions, logoutEverywhere, type FastifySessionStore } from '../../transports/fastify/index.js';
import { describeFrameworkFlows } from './framework-flows.js';
import { flowBackings } from './flow-backings.js';
import { startFastifyFlowApp } from './fastify-flow-app.js';

for (const backing of flowBackings) {
  describeFrameworkFlows<FastifySessionStore>(
    {
      name: 'fastify',
      ownFields: ['cookie'],
      startApp: startFastifyFlowApp,
      storeOver: (store, clock, policy) => {
        const fastifyStore = createFastifyStore({ store, clock, policy });
        return {
          store: fastifyStore,
          logoutEverywhere: (userId) => logoutEverywhere(fastifyStore, userId),
          listUserSessions: async (userId) => (await listUserSessions(fastifyStore, userId)).length,
        };
      },
    },
    backing,
  );
}
