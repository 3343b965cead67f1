// The storage drivers (ioredis, @aws-sdk/*) are optional peer dependencies of the library, so a
// production install leaves them out; the service image needs them for SESSION_STORE=redis and
// SESSION_STORE=dynamodb. Run in a copy of the package (never the repository): it rewrites
// package.json so they are dependencies, at the exact versions package-lock.json pins, and a
// following `npm install --omit=dev` installs them with the lockfile's transitive versions.
import { readFileSync, writeFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const locked = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
for (const name of Object.keys(pkg.peerDependencies ?? {})) {
  const entry = locked[`node_modules/${name}`];
  if (entry === undefined) throw new Error(`${name} is not in package-lock.json`);
  pkg.dependencies[name] = entry.version;
  delete pkg.devDependencies?.[name];
}
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`promoted to dependencies: ${Object.keys(pkg.peerDependencies ?? {}).join(', ')}`);
