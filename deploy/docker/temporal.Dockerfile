# syntax=docker/dockerfile:1.7
# The Temporal server and temporal-sql-tool, built from source at the version pinned in deploy/versions.json
# (temporalServer.version), exactly as `npm run cluster` builds them with `go install` (deploy/local/binaries.js):
#   docker build -f deploy/docker/temporal.Dockerfile -t dondoc-temporal:1.30.8 deploy/docker
# (the context is deploy/docker: only temporal-schema.sh is copied from it).
# v1.30.8 declares go 1.25 in its go.mod; v1.30.9 needs a newer Go. Change the version and the Go image together.
ARG GO_IMAGE=golang:1.25-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

FROM ${GO_IMAGE} AS build
ARG TEMPORAL_VERSION=1.30.8
ENV CGO_ENABLED=0 GOBIN=/out GOFLAGS=-trimpath
RUN go install go.temporal.io/server/cmd/server@v${TEMPORAL_VERSION} \
 && go install go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_VERSION} \
 && mv /out/server /out/temporal-server && mv /out/sql /out/temporal-sql-tool

FROM ${RUNTIME_IMAGE}
# postgresql-client: the schema job asks whether a database already has Temporal's schema (temporal-schema.sh).
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata postgresql-client && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /etc/temporal temporal
COPY --from=build /out/temporal-server /out/temporal-sql-tool /usr/local/bin/
COPY --chmod=0755 temporal-schema.sh /usr/local/bin/temporal-schema
# The configuration is mounted at /etc/temporal/config (compose: deploy/docker/temporal/). On Kubernetes the
# official Helm chart runs its own image and writes its own configuration (deploy/k8s/temporal-values.yaml).
WORKDIR /etc/temporal
USER temporal
EXPOSE 7233 6933 6934 6935 6939 9090
# --allow-no-auth as in the process cluster: no authorizer is configured; the frontend is reachable only on the
# compose network (docs/deployment.md says what to add before exposing it).
ENTRYPOINT ["temporal-server", "--config-file", "/etc/temporal/config/docker.yaml", "--allow-no-auth"]
CMD ["start"]
