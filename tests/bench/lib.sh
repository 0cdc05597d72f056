# Shared by the benchmark scripts: release builds and a copy of bench-node to run beside.
# Expects ROOT, BENCH_NODE and NODE_DIR to be set, and a `log` function.

build_release() {
  log "build (release)"
  # One at a time: built together, their dependencies' features would be unified, so kandid
  # would be another binary than `cargo build --release -p kandid` makes on its own.
  cargo build --release -p kandid
  cargo build --release -p kandid-bench
}

# bench-node copied next to the build, its packages installed when its lock file changed.
install_bench_node() {
  mkdir -p "$NODE_DIR"
  if ! cmp -s "$BENCH_NODE/package-lock.json" "$NODE_DIR/package-lock.json" || [ ! -d "$NODE_DIR/node_modules" ]; then
    log "npm ci bench-node (better-sqlite3 may compile, ~2 min)"
    rm -rf "$NODE_DIR/node_modules"
    cp "$BENCH_NODE/package.json" "$BENCH_NODE/package-lock.json" "$NODE_DIR/"
    chmod u+w "$NODE_DIR/package.json" "$NODE_DIR/package-lock.json"
    npm ci --prefix "$NODE_DIR" --no-audit --no-fund --omit=dev >&2
  fi
  rm -rf "$NODE_DIR/src" "$NODE_DIR/server.js"
  cp -r "$BENCH_NODE/src" "$BENCH_NODE/server.js" "$NODE_DIR/"
  chmod -R u+w "$NODE_DIR/src" "$NODE_DIR/server.js"
}
