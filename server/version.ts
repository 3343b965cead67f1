import { createRequire } from 'node:module';

// The package's own package.json, found by self-reference (the exports map lists it), so the same
// line works from the sources, from dist/ and from an installed copy.
const manifest = createRequire(import.meta.url)('session-api/package.json') as { readonly version: string };

/** The version of session-api that is running. */
export const VERSION: string = manifest.version;
