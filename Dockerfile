# syntax=docker/dockerfile:1
# The image takes the steps `.ci/run` checks outside Docker (scripts/smokePackedInstall.mjs):
# build and pack the project, then install the tarball with production dependencies only
# (scripts/installPacked.sh) and run it as an ordinary user under an init process.
# docs/deployment.md describes building, running and what /data holds.
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY . .
# npm ci runs `prepare` (prisma generate); npm pack runs `prepack` (the build)
RUN npm ci --no-audit --no-fund && mkdir /pack && npm pack --pack-destination /pack

FROM node:${NODE_VERSION}-bookworm-slim
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="autotask-bot" \
      org.opencontainers.image.description="Chat-ops bot that pushes cloud subscription history into Autotask PSA, approved in Slack or Teams" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/autotask-bot/autotask-bot" \
      org.opencontainers.image.base.name="node:${NODE_VERSION}-bookworm-slim"
# tini as PID 1: signals reach the bot (a clean stop on `docker stop`) and orphans are reaped
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
COPY scripts/installPacked.sh /tmp/installPacked.sh
COPY --from=build /pack/ /tmp/pack/
RUN sh /tmp/installPacked.sh /tmp/pack/autotask-bot-*.tgz /app && rm -rf /tmp/pack /tmp/installPacked.sh /root/.npm
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data LOG_FORMAT=json
WORKDIR /app
# The embedded PostgreSQL refuses to run as root; the bot runs as an ordinary user that owns /data only.
RUN groupadd --system bot && useradd --system --gid bot --home /app bot && mkdir /data && chown bot:bot /data
USER bot
EXPOSE 3000
VOLUME ["/data"]
# liveness: an Autotask outage (readiness, /readyz) is no reason to restart the bot
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "/app/node_modules/autotask-bot/bin/autotask-bot.js", "serve"]
