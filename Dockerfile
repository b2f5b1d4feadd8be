# syntax=docker/dockerfile:1
#
# One multi-stage file for every StopSync image. Pick the image with --target (compose does it per service):
#   web       StopSync.Web (Razor Pages + API + Hangfire dashboard), port 5001, HEALTHCHECK on /health
#   jobs      StopSync.Jobs (Hangfire server with the recurring pipeline)
#   migrator  the EF Core migration bundle; applies migrations to ConnectionStrings__StopSync and exits
#   test      the source tree plus Chromium, psql and docker-compose; fetches the real test samples, runs ./test.sh
# Every entrypoint runs docker/wait-for-db.sh through bash (so its file mode does not matter); it waits
# for the database named in ConnectionStrings__StopSync (DB_WAIT_SECONDS, default 60), then starts the process.

# ---------------------------------------------------------------------------------------------------------
# build: restore, publish Web and Jobs, and produce the migration bundle.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1
# `npm ci` (repository root) must run before the web build: LibMan copies Leaflet out of node_modules.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src

# Restore first, from the files that decide it, so source edits reuse the cached package layers.
COPY global.json dotnet-tools.json Directory.Build.props Directory.Packages.props StopSync.slnx ./
COPY StopSync.Data/StopSync.Data.csproj StopSync.Data/
COPY StopSync.Jobs/StopSync.Jobs.csproj StopSync.Jobs/
COPY StopSync.Web/StopSync.Web.csproj StopSync.Web/
COPY StopSync.Tests/StopSync.Tests.csproj StopSync.Tests/
RUN dotnet tool restore && dotnet restore StopSync.slnx
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

COPY . .
RUN dotnet publish StopSync.Web/StopSync.Web.csproj -c Release -o /out/web -p:UseAppHost=false
RUN dotnet publish StopSync.Jobs/StopSync.Jobs.csproj -c Release -o /out/jobs -p:UseAppHost=false
# Framework-dependent single-file bundle (no --self-contained: the runtime images bring .NET 10).
RUN dotnet ef migrations bundle --project StopSync.Data --startup-project StopSync.Data \
        --configuration Release -o /out/migrator/efbundle --force
# The seeded demo dataset, so a fresh pipeline-data volume already holds the scheduler's default inputs.
RUN dotnet /out/jobs/StopSync.Jobs.dll generate-demo --out /out/data/demo

# ---------------------------------------------------------------------------------------------------------
# web: the site. Runs as the image's built-in non-root user `app` ($APP_UID).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS web
ENV ASPNETCORE_HTTP_PORTS=5001 \
    DOTNET_NOLOGO=1
WORKDIR /app
COPY docker/wait-for-db.sh /usr/local/bin/wait-for-db.sh
# The publish output includes the repository's docs/*.md as /app/docs, which the Docs pages render.
COPY --from=build /out/web ./
# /exports: export files written by the jobs host and downloaded here (compose mounts the volume `export-data`; a fresh
# named volume takes this directory's ownership, so the non-root user can write it).
RUN mkdir -p /exports && chown "$APP_UID:$APP_UID" /exports
USER $APP_UID
EXPOSE 5001
# The image has no curl: a bash /dev/tcp request that expects "HTTP/1.x 200" from /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/5001 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && IFS= read -r status <&3 && [[ $status == 'HTTP/1.'?' 200'* ]]"]
ENTRYPOINT ["bash", "/usr/local/bin/wait-for-db.sh"]
CMD ["dotnet", "StopSync.Web.dll"]

# ---------------------------------------------------------------------------------------------------------
# jobs: the Hangfire server. With no arguments StopSync.Jobs runs the server and the recurring pipeline.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS jobs
ENV DOTNET_NOLOGO=1
WORKDIR /app
COPY docker/wait-for-db.sh /usr/local/bin/wait-for-db.sh
COPY --from=build /out/jobs ./
# /data holds the pipeline inputs (compose mounts the named volume `pipeline-data` here). Docker fills a fresh
# named volume with this directory's content and ownership: the demo dataset, writable by the non-root user.
COPY --from=build /out/data /data
RUN chown -R "$APP_UID:$APP_UID" /data && mkdir -p /exports && chown "$APP_UID:$APP_UID" /exports
USER $APP_UID
ENTRYPOINT ["bash", "/usr/local/bin/wait-for-db.sh"]
CMD ["dotnet", "StopSync.Jobs.dll"]

# ---------------------------------------------------------------------------------------------------------
# migrator: one-shot; applies the EF Core migrations and exits (0 = schema up to date).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS migrator
ENV DOTNET_NOLOGO=1 \
    DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp/dotnet-bundle
WORKDIR /app
COPY docker/wait-for-db.sh /usr/local/bin/wait-for-db.sh
COPY --from=build /out/migrator/efbundle ./efbundle
USER $APP_UID
ENTRYPOINT ["bash", "/usr/local/bin/wait-for-db.sh"]
CMD ["bash", "-c", "exec /app/efbundle --connection \"$ConnectionStrings__StopSync\""]

# ---------------------------------------------------------------------------------------------------------
# test: the whole source tree, run by ./test.sh against the db and redis named in the environment.
# The .NET 10 images are Ubuntu 24.04, where `chromium` is only a snap stub that cannot run in a container,
# so this stage is Debian 12 (the distribution the stack was proven on) with the SDK copied from the sdk
# image. It carries everything test.sh would otherwise install: Chromium + fonts for the Playwright tests,
# psql for database set-up, docker-compose for the compose-file tests, Node/npm for `npm ci`, curl for
# scripts/fetch-test-data.sh, redis-server for the tests that start (and kill) a Redis of their own.
FROM debian:bookworm-slim AS test
ENV DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    CHROMIUM_PATH=/usr/bin/chromium \
    STOPSYNC_TEST_DATA=/src/.cache/test-data
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        ca-certificates libc6 libgcc-s1 libgssapi-krb5-2 libicu72 libssl3 libstdc++6 tzdata zlib1g \
        git procps curl \
        chromium fonts-liberation \
        postgresql-client \
        docker-compose \
        nodejs npm \
        redis-server \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && groupadd --gid 1000 app \
    && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash app \
    && mkdir -p /src \
    && chown app:app /src
COPY docker/wait-for-db.sh /usr/local/bin/wait-for-db.sh
USER app
WORKDIR /src
# The build stage already downloaded every package (including the local dotnet-ef tool); reuse them.
COPY --from=build --chown=app:app /root/.nuget/packages /home/app/.nuget/packages
COPY --chown=app:app . .
RUN dotnet tool restore \
    && dotnet restore StopSync.slnx \
    && npm ci --no-audit --no-fund --loglevel=error
ENTRYPOINT ["bash", "/usr/local/bin/wait-for-db.sh"]
# The real samples some tests read are fetched when the container starts, not baked in: this image is published,
# and the samples' licences (ODbL, AGPL test files) are not this repository's. The script checks every sha256 and
# stops the run, naming the file, when one cannot be fetched.
CMD ["bash", "-c", "bash scripts/fetch-test-data.sh >/dev/null && exec bash ./test.sh"]
