/** Node's synchronous SHA-256, the very one the server injects: the bench makes handles by the million. */
export { nodeSha256 } from '../server/node-sha256.js';
