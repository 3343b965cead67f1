import { afterAll, beforeAll, test } from 'vitest';
import { checkSessionStore } from '../../testing/index.js';
import { openDynamoTestStore, type DynamoTestStore } from '../support/dynamo-test-store.js';

let dynamo: DynamoTestStore;
beforeAll(async () => {
  dynamo = await openDynamoTestStore();
});
afterAll(() => dynamo?.close());

// A fresh table per run. A Scan page filters after its Limit, so a `list` page may be short
// and the last one may carry a cursor to an empty page: port v2 allows both to every store.
// 30 runs, each on a new table: 128 s at a load average of 15 on the 2 cores, hence 600 s.
test('the DynamoDB store conforms to the SessionStore port', () =>
  checkSessionStore(() => dynamo.freshStore(), { numRuns: 30 }), 600_000);

// With events on, the events and event-races properties run too. The store writes each event in
// a request after its change (see docs/dynamodb-layout.md, "Events"): the property reads after
// each call, so an event lost in that window (a crash between the two requests) is not tested
// here, nor could it be short of killing the process mid-call; what holds is tested.
test('the DynamoDB store conforms with events on, its events included', () =>
  checkSessionStore(() => dynamo.freshStore({ events: true }), { numRuns: 15, eventRecording: 'after-change' }), 600_000);
