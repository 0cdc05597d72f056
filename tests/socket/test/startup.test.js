// Start-up failures as a new user meets them: a database that can't be reached, a data
// directory that can't be used, a URL of an unsupported kind. Each ends the process at
// once (no silent hang), with exit status 1 and one message that names what is wrong,
// without library internals; the same for `serve`, `migrate` and `seed`.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BIN, SECRET } from "../lib/harness.js";

/** Well past a connection attempt's 5 s, far below the hour start-up used to hang for. */
const PROMPT = 30_000;

/** Runs the binary as a person would (pretty logs, default filter) to its end. */
function run(args, env) {
  const started = Date.now();
  const child = spawn(BIN, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, JWT_SECRET: SECRET, PORT: "0", BIND: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      rej(new Error(`still running after ${PROMPT} ms: ${stderr}`));
    }, PROMPT);
    child.on("exit", (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Asserts a failed start: status 1 and exactly one line on stderr, which matches `pattern`. */
function failedOnce(r, pattern) {
  assert.equal(r.code, 1, `${r.stderr}${r.stdout}`);
  const lines = r.stderr.split("\n").filter(Boolean);
  assert.equal(lines.length, 1, `one message, got: ${r.stderr}`);
  assert.match(lines[0], /^kandid: /);
  assert.match(lines[0], pattern);
  for (const internal of ["Connection Error", "error returned from database", "at line", "code: 14", "SqlxError"]) {
    assert.ok(!lines[0].includes(internal), `no library internals (${internal}): ${lines[0]}`);
  }
  assert.equal(r.stdout, "", "nothing on stdout: it never listened");
  return lines[0];
}

describe("start-up failures", () => {
  for (const cmd of ["serve", "migrate", "seed"]) {
    it(`${cmd}: a refused PostgreSQL port is reported at once, naming host, port and database`, async () => {
      const r = await run([cmd], { DATABASE_URL: "postgres://nope:hunter2@127.0.0.1:1/x" });
      const line = failedOnce(r, /PostgreSQL database "x" at 127\.0\.0\.1:1 as user "nope": .*refused/i);
      assert.ok(!line.includes("hunter2"), "the password is never shown");
    });
  }

  it("a missing PostgreSQL database is named", { skip: process.env.TEST_POSTGRES_URL ? false : "needs TEST_POSTGRES_URL" }, async () => {
    const url = new URL(process.env.TEST_POSTGRES_URL);
    url.pathname = "/kandid_does_not_exist";
    const r = await run(["serve"], { DATABASE_URL: url.toString() });
    failedOnce(r, /database "kandid_does_not_exist" at .* does not exist/);
  });

  it("DATABASE_WAIT retries with a line per attempt, then gives up with the reason", async () => {
    const r = await run(["migrate"], { DATABASE_URL: "postgres://nope@127.0.0.1:1/x", DATABASE_WAIT: "2s", NO_COLOR: "1" });
    assert.equal(r.code, 1, r.stderr);
    const retries = r.stderr.split("\n").filter((l) => l.includes("retrying for up to 2s (DATABASE_WAIT)"));
    assert.ok(retries.length >= 1, r.stderr);
    assert.match(r.stderr.trim().split("\n").at(-1), /^kandid: cannot connect to PostgreSQL database "x"/);
  });

  it("a data directory that can't be created is named", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kandid-start-"));
    try {
      writeFileSync(join(dir, "file"), "");
      const r = await run(["serve"], { DATA_DIR: join(dir, "file", "data") });
      failedOnce(r, new RegExp(`cannot create the data directory ${join(dir, "file", "data")}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a database file that can't be opened is named, with what to check", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kandid-start-"));
    try {
      mkdirSync(join(dir, "kandid.db")); // a directory where the database file should be
      const r = await run(["serve"], { DATA_DIR: dir });
      failedOnce(r, new RegExp(`cannot open the SQLite database ${join(dir, "kandid.db")}: unable to open database file \\(check`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an unsupported database URL says which kinds are", async () => {
    const r = await run(["serve"], { DATABASE_URL: "mysql://root:pw@127.0.0.1/x" });
    const line = failedOnce(r, /DATABASE_URL must start with postgres:\/\/ or sqlite:\/\//);
    assert.ok(!line.includes(":pw@"), line);
  });

  it("the port in use is named", async () => {
    const net = await import("node:net");
    const taken = net.createServer();
    await new Promise((res) => taken.listen(0, "127.0.0.1", res));
    const dir = mkdtempSync(join(tmpdir(), "kandid-start-"));
    try {
      const r = await run(["serve"], { DATA_DIR: dir, PORT: String(taken.address().port) });
      assert.equal(r.code, 1, r.stderr);
      const last = r.stderr.trim().split("\n").at(-1);
      assert.match(last, new RegExp(`^kandid: binding 127\\.0\\.0\\.1:${taken.address().port}: .*in use`, "i"));
      assert.equal(r.stderr.split("\n").filter((l) => l.includes("in use")).length, 1, r.stderr);
    } finally {
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("help", () => {
  it("each subcommand's --help lists only the settings it reads", async () => {
    const help = async (...args) => {
      const r = await run([...args, "--help"], {});
      assert.equal(r.code, 0, r.stderr);
      return r.stdout;
    };
    const server = await help();
    for (const flag of ["--port", "--database-url", "--socket-max-rooms", "--webhook-concurrency", "--jwt-secret"]) {
      assert.ok(server.includes(flag), `kandid --help lists ${flag}`);
    }
    assert.ok((await help("serve")).includes("--socket-max-rooms"));
    const migrate = await help("migrate");
    for (const flag of ["--database-url", "--data-dir", "--database-wait", "--log-format"]) assert.ok(migrate.includes(flag), `migrate: ${flag}`);
    for (const flag of ["--port", "--jwt-secret", "--socket-max-rooms", "--cors-origins"]) assert.ok(!migrate.includes(flag), `migrate lists ${flag}`);
    const seed = await help("seed");
    for (const flag of ["--email", "--password", "--database-url", "--write-timeout"]) assert.ok(seed.includes(flag), `seed: ${flag}`);
    for (const flag of ["--jwt-secret", "--socket-max-rooms", "--cors-origins", "--webhook-concurrency"]) assert.ok(!seed.includes(flag), `seed lists ${flag}`);
    const health = await help("healthcheck");
    assert.ok(health.includes("--port"));
    assert.ok(!health.includes("--database-url"));
  });
});
