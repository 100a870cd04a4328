# syntax=docker/dockerfile:1
# Multi-stage: build TypeScript and the Prisma client, then ship dist/ with production
# dependencies only, as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build && npm prune --omit=dev && npx prisma generate

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data LOG_FORMAT=json
WORKDIR /app
# The embedded PostgreSQL refuses to run as root; run everything as an ordinary user.
RUN groupadd --system bot && useradd --system --gid bot --home /app bot && mkdir /data && chown bot:bot /data
COPY --from=build --chown=bot:bot /app/node_modules ./node_modules
COPY --from=build --chown=bot:bot /app/dist ./dist
COPY --chown=bot:bot package.json ./
COPY --chown=bot:bot bin ./bin
COPY --chown=bot:bot prisma/migrations ./prisma/migrations
COPY --chown=bot:bot manifests ./manifests
USER bot
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/autotask-bot.js", "serve"]
