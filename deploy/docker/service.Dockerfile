# One image per service: docker build --build-arg SERVICE=intake -f deploy/docker/service.Dockerfile .
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY services services
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

FROM node:20.19.5-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production HOST=0.0.0.0 SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY tools/runtime-paths.cjs tools/runtime-paths.cjs
COPY deploy/docker/create-topics.cjs deploy/docker/create-topics.cjs
COPY libs/contracts/src/topic-registry.json libs/contracts/src/topic-registry.json
USER node
# Migrations take an advisory lock, so replicas starting together are safe.
CMD ["sh", "-c", "node -r ./tools/runtime-paths.cjs dist/services/$SERVICE/src/database/migrate.js && exec node -r ./tools/runtime-paths.cjs dist/services/$SERVICE/src/main.js"]
