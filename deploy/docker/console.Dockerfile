# The console: docker build -f deploy/docker/console.Dockerfile .
# Serves the built React app and forwards /api/<service> to the four services (same origin).
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs libs
COPY services services
COPY apps apps
RUN npx tsc -p tsconfig.build.json && npx vite build -c apps/console/vite.config.mts --logLevel warn \
  && npm prune --omit=dev

FROM node:20.19.5-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY tools/runtime-paths.cjs tools/runtime-paths.cjs
USER node
EXPOSE 3000
CMD ["node", "-r", "./tools/runtime-paths.cjs", "dist/apps/console/server/src/main.js"]
