# Sluice in a container: `docker build -t sluice .` then
#   docker run -p 8088:8088 -p 8081:8081 -v sluice-data:/var/lib/sluice sluice
# Configure it with SLUICE_<FLAG> and ksqlDB-style KSQL_<PROPERTY> variables
# (README, "Configuration from the environment"); arguments after the image name
# replace `server` (e.g. `sluice … server --bootstrap-servers kafka:9092`).
ARG NODE_VERSION=22

# Build stage: the dev dependencies and the sources make the bundle, packed as npm would publish it.
FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json README.md CHANGELOG.md ./
COPY bin ./bin
COPY scripts ./scripts
COPY cli ./cli
COPY src ./src
RUN node scripts/bundle.mjs \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/sluice-*.tgz /tmp/sluice.tgz

# Runtime stage: the packed package and its one runtime dependency (classic-level), nothing else.
FROM node:${NODE_VERSION}-bookworm-slim
COPY --from=build /tmp/sluice.tgz /tmp/sluice.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/sluice.tgz \
 && rm /tmp/sluice.tgz \
 && npm cache clean --force \
 && mkdir -p /var/lib/sluice \
 && chown node:node /var/lib/sluice
# Reachable from outside the container, as ksqlDB's images listen; SLUICE_PORT/SLUICE_HOST
# or another KSQL_LISTENERS change it.
ENV NODE_ENV=production \
    KSQL_LISTENERS=http://0.0.0.0:8088 \
    SLUICE_DATA_DIR=/var/lib/sluice
USER node
WORKDIR /var/lib/sluice
VOLUME ["/var/lib/sluice"]
# The REST API, and the embedded Schema Registry (8081 unless --schema-registry-port says otherwise).
EXPOSE 8088 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "const port = process.env.SLUICE_PORT || new URL(process.env.KSQL_LISTENERS || 'http://x:8088').port; fetch('http://127.0.0.1:' + port + '/healthcheck').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
ENTRYPOINT ["sluice"]
CMD ["server"]
