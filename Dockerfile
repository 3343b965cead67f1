# syntax=docker/dockerfile:1
# session-api:latest, the HTTP service.
#   docker build -t session-api:latest .
#   docker run --rm -p 8080:8080 -e SESSION_STORE=memory -e API_TOKENS=dev-token session-api:latest

# 1. Compile TypeScript with the full (dev) toolchain.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# 2. Production dependencies only, plus the storage drivers the service needs, installed from
#    the lockfile with npm ci (which refuses to resolve anything the lockfile does not pin).
FROM node:22-bookworm-slim AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY definitions/image/promote-drivers.mjs /tmp/promote-drivers.mjs
RUN node /tmp/promote-drivers.mjs \
 && npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

# 3. The image: compiled code, production node_modules, the package.json that makes it ESM.
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    PORT=8080
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/dist ./dist
# The base image's unprivileged `node` user, by number: Kubernetes' runAsNonRoot can only
# verify a numeric user. Nothing here writes to disk (readOnlyRootFilesystem works).
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself (no shell, no npm in between), and the
# service drains on it. Give it longer than its drain timeout: docker stop -t / terminationGracePeriodSeconds.
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
