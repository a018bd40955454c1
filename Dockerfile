# The server image: dashboard built in a first stage, production dependencies only in the second.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && mkdir -p /data && chown node:node /data
COPY --from=build /app/server ./server
COPY --from=build /app/simulators ./simulators
COPY --from=build /app/config ./config
COPY --from=build /app/dashboard/dist ./dashboard/dist
USER node
EXPOSE 8080 1883
CMD ["node", "--import", "tsx", "server/src/main.ts"]
