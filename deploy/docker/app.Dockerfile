# syntax=docker/dockerfile:1.7
# Dondoc's API, worker and CLI in one image (the command chooses), built from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t dondoc-app .
# Stages: `build` compiles everything with the dev dependencies; `tools` is that stage kept for one-off jobs that run
# TypeScript directly (deploy/docker/init.ts: migrations + Temporal registration); `runtime` holds only the
# compiled output and the production dependencies, and runs as an unprivileged user.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Install scripts stay off: the dev-only downloads (embedded PostgreSQL, Temporal CLI for `npm start`) are not
# wanted in an image; the Temporal SDK's native module ships prebuilt inside its package.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY workflows ./workflows
COPY deploy ./deploy
# The workflow bundles are built here once: workers load dist/workflow-bundle.js (dist/workflow-bundle-traced.js
# with tracing on) instead of bundling at start.
RUN npm run build \
 && npx vite build --config apps/web/vite.config.ts --logLevel warn

FROM build AS tools
USER node
ENTRYPOINT ["node", "deploy/local/run-ts.js"]
CMD ["deploy/docker/init.ts"]

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST_DIR=/app/web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/apps/web/dist ./web
# The sample plan offered on an empty installation's import page (apps/api/src/plans/sample-plan.ts); the demo
# accounts and plan (deploy/seed) are refused in production and are not in the image.
COPY --from=build /app/libs/plan-parser/fixtures ./dist/libs/plan-parser/fixtures
# Attachments live in PostgreSQL (ATTACHMENT_STORAGE=postgres): DATA_DIR is scratch space only, never shared state.
RUN mkdir -p /var/lib/dondoc && chown node:node /var/lib/dondoc
ENV DATA_DIR=/var/lib/dondoc
USER node
EXPOSE 3000
# api | worker | cli: `docker run dondoc-app worker`, `docker run dondoc-app cli reconcile`.
COPY --chmod=0755 deploy/docker/entrypoint.sh /usr/local/bin/dondoc
ENTRYPOINT ["/usr/local/bin/dondoc"]
CMD ["api"]
