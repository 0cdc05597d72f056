# syntax=docker/dockerfile:1
# Build stage: compile the release binary.
FROM rust:1.95-bookworm AS build
WORKDIR /src
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
ENTRYPOINT ["/usr/local/bin/kandid"]
CMD ["serve"]
