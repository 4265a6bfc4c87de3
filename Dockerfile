# syntax=docker/dockerfile:1
# taxii-hub container image. Build: docker build -t taxii-hub .   Run with PostgreSQL: docker compose up

# ---- build: compile TypeScript with the dev dependencies
FROM node:20-bookworm-slim AS build
WORKDIR /app
# fs-ext (the data-directory lock) is a native addon that npm builds from source with node-gyp,
# against the Node.js headers the image ships in /usr/local/include/node.
ENV npm_config_nodedir=/usr/local
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web console is bundled by the same build (scripts/build-console.mjs) into dist/console.
COPY console ./console
COPY scripts/build-console.mjs ./scripts/build-console.mjs
RUN npm run build

# ---- runtime: production dependencies and the compiled code only
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    HUB_DATA_DIR=/var/lib/taxii-hub
WORKDIR /app
COPY package.json package-lock.json ./
# The build tools live only as long as this step: the addon is built, then they are removed.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
 && npm_config_nodedir=/usr/local npm ci --omit=dev --no-audit --no-fund && npm cache clean --force \
 && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* /root/.cache
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY schemas ./schemas
COPY collections ./collections
# The embedded store (used when DATABASE_URL is unset) lives in a volume owned by the runtime user.
RUN mkdir -p /var/lib/taxii-hub && chown node:node /var/lib/taxii-hub
VOLUME ["/var/lib/taxii-hub"]
# The node image's unprivileged user: the hub never needs root.
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `taxii-hub serve`; SIGTERM (docker stop) shuts down gracefully.
CMD ["node", "dist/cli/main.js", "serve"]
