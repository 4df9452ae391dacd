# syntax=docker/dockerfile:1
# Build stage: compile TypeScript, bundle the console, build better-sqlite3's native addon.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
# The browser console (console/, bundled by scripts/build-console.ts into dist/console).
COPY console ./console
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, compiled code and schemas only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    CALLHOOK_DATA_DIR=/var/lib/callhook \
    CALLHOOK_MAX_HEAP_MB=128
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
COPY package.json ./
RUN mkdir -p /var/lib/callhook && chown node:node /var/lib/callhook
USER node
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A capped old space keeps the heap compact under load (see the README's benchmark notes).
CMD ["sh", "-c", "exec node --max-old-space-size=${CALLHOOK_MAX_HEAP_MB} dist/main.js"]
