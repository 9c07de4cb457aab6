# syntax=docker/dockerfile:1
# Filings API: a release build on the pinned toolchain, run as a non-root user on a slim image.

FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY . .
# The same build CI proves: dependencies exactly as Cargo.lock pins them; the docs UI is
# vendored and the migrations are embedded, so nothing is fetched but crates.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && cp target/release/filings /usr/local/bin/filings

FROM debian:bookworm-slim
# curl is only for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --user-group --uid 10001 --home-dir /var/lib/filings --create-home filings
COPY --from=build /usr/local/bin/filings /usr/local/bin/filings
USER filings
WORKDIR /var/lib/filings
ENV FILINGS_BIND=0.0.0.0:8080 \
    FILINGS_LOG_FORMAT=json \
    FILINGS_DATA_DIR=/var/lib/filings/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
# Set DATABASE_URL: the image has no PostgreSQL of its own (see docker-compose.yml).
ENTRYPOINT ["filings"]
CMD ["serve"]
