import { openDynamoTestStore } from '../support/dynamo-test-store.js';
import { describeHttpApi } from './http-api-suite.js';

describeHttpApi('dynamodb', () => openDynamoTestStore());
