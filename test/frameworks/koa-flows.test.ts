import { createKoaStore, listUserSessions, logoutEverywhere, type KoaSessionStore } from '../../transports/koa/index.js';
import { describeFrameworkFlows } from './framework-flows.js';
import { flowBackings } from './flow-backings.js';
import { startKoaFlowApp } from './koa-flow-app.js';

for (const backing of flowBackings) {
  describeFrameworkFlows<KoaSessionStore>(
    {
      name: 'koa',
      ownFields: ['_maxAge'],
      startApp: startKoaFlowApp,
      storeOver: (store, clock, policy) => {
        const koaStore = createKoaStore({ store, clock, policy });
        return {
          store: koaStore,
          logoutEverywhere: (userId) => logoutEverywhere(koaStore, userId),
          listUserSessions: async (userId) => (await listUserSessions(koaStore, userId)).length,
        };
      },
    },
    backing,
  );
}
