# One image for the api and the projector; docker-compose.yml picks the entry point.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
COPY projections ./projections
# The dashboard's client, compiled and copied into dist/web by scripts/build-dashboard.mjs.
COPY web ./web
COPY scripts/build-dashboard.mjs ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Without DATABASE_URL the embedded PostgreSQL keeps its cluster here, run by the runtime user,
# who must own it (/app belongs to root). Mount a volume here to keep it.
ENV DATA_DIR=/var/lib/bildirim
RUN mkdir -p /var/lib/bildirim && chown node:node /var/lib/bildirim
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
CMD ["node", "dist/apps/api/src/main.js"]
