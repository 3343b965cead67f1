import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { describeSessionClient } from './client-suite.js';

describeSessionClient('dynamodb', () => openDynamoTestStore());
