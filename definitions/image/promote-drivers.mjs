// The storage drivers (ioredis, @aws-sdk/*) are optional peer dependencies of the library, so a
// production install leaves them out; the service image needs them for SESSION_STORE=redis and
// SESSION_STORE=dynamodb. Run in a copy of the package (never the repository): it rewrites
// package.json so the drivers, and only they, are dependencies at the exact versions
// package-lock.json pins. The lockfile is left as it is, so the `npm ci --omit=dev` that follows
// installs exactly the locked tree (npm ci refuses to run if package.json and the lockfile
// disagree) and nothing else: the other optional peer, fast-check, stays a development tool.
import { readFileSync, writeFileSync } from 'node:fs';

/** What the service's stores load at run time. */
const storageDrivers = ['ioredis', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const locked = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
for (const name of storageDrivers) {
  if (pkg.peerDependencies?.[name] === undefined) throw new Error(`${name} is not a peer dependency of the package`);
  const entry = locked[`node_modules/${name}`];
  if (entry === undefined) throw new Error(`${name} is not in package-lock.json`);
  pkg.dependencies[name] = entry.version;
  delete pkg.devDependencies?.[name];
}
writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
console.log(`promoted to dependencies: ${storageDrivers.join(', ')}`);
