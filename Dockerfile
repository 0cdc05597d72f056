# syntax=docker/dockerfile:1
# Dependencies are built in a layer of their own (cargo-chef), so a change to kandid's
# sources rebuilds kandid only.
FROM rust:1.95-bookworm AS chef
RUN cargo install --locked cargo-chef --version 0.1.78
WORKDIR /src

# The dependency recipe: changes only when Cargo.toml / Cargo.lock do.
FROM chef AS plan
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
# SQLite's compile flags live here; they must apply to the cached dependency build too.
COPY .cargo .cargo
COPY --from=plan /src/recipe.json recipe.json
RUN cargo chef cook --release --locked -p kandid --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked -p kandid

# Runtime stage: the binary alone, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home /var/lib/kandid kandid && mkdir -p /var/lib/kandid && chown kandid /var/lib/kandid
COPY --from=build /src/target/release/kandid /usr/local/bin/kandid
USER kandid
WORKDIR /var/lib/kandid
ENV BIND=0.0.0.0 PORT=8080 DATA_DIR=/var/lib/kandid LOG_FORMAT=json
EXPOSE 8080
# The image has no curl: the binary asks its own /readyz.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/kandid", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/kandid"]
CMD ["serve"]
