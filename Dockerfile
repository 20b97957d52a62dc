# syntax=docker/dockerfile:1
# The API server as a container: built from the sources, run with node alone.
#   docker build -t complaint-platform .
#   docker run -p 4000:4000 -e NODE_ENV=development complaint-platform   # demo with GraphiQL, embedded database in /data
#   see compose.yaml and docs/operations.md for PostgreSQL and several instances
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. Build: every dependency, then tsc → dist/ (src, plugins, migrations, the board's page).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY plugins ./plugins
COPY migrations ./migrations
COPY board ./board
RUN npm run build

# 2. Production dependencies only (no tsx, no TypeScript).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime: the built output and production node_modules, owned by root and
#    read-only to the server, which runs as the image's unprivileged `node` user.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4000
# Ready = the process answers and its database does (503 otherwise). No curl in
# the slim image: node's own fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1's child of nothing: SIGTERM reaches the server, which drains and exits 0.
CMD ["node", "--enable-source-maps", "dist/src/server/main.js"]
