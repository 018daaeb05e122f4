# syntax=docker/dockerfile:1
# The whole service in one container: web pages, REST API, message intake and the CLI.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY migrations migrations
COPY src src
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    ACCOLADES_DATA_DIR=/var/lib/accolades
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /var/lib/accolades accolades \
 && mkdir -p /var/lib/accolades && chown accolades /var/lib/accolades
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY views views
COPY src/demo/collection src/demo/collection
RUN ln -s /app/dist/src/cli/main.js /usr/local/bin/accolades
USER 10001
VOLUME ["/var/lib/accolades"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
