import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { describeExpressStore } from './express-store-suite.js';

// dynalite takes a thousand writes and deletes in about 50 s on two loaded cores; 300 check the same.
describeExpressStore('dynamodb', () => openDynamoTestStore(), { bulkSessions: 300 });
