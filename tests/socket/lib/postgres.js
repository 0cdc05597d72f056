// A PostgreSQL server of the test's own (initdb + pg_ctl from the installed server), on a
// free port in a temporary directory, that a test may stop and start at will.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The directory of pg_ctl/initdb: PG_BIN, else the newest /usr/lib/postgresql/<v>/bin, else pg_config's. */
export function findPgBin() {
  const ok = (d) => d && existsSync(join(d, "pg_ctl")) && existsSync(join(d, "initdb"));
  if (ok(process.env.PG_BIN)) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (ok(join(root, v, "bin"))) return join(root, v, "bin");
  }
  const r = spawnSync("pg_config", ["--bindir"], { encoding: "utf8" });
  if (r.status === 0 && ok(r.stdout.trim())) return r.stdout.trim();
  return null;
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export class OwnPostgres {
  constructor(bin) {
    this.bin = bin;
  }

  /** initdb refuses to run as root: then everything runs as the `postgres` OS user. */
  run(tool, args) {
    const cmd = join(this.bin, tool);
    const [file, argv] = this.asUser ? ["runuser", ["-u", this.asUser, "--", cmd, ...args]] : [cmd, args];
    return execFileSync(file, argv, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  static async create(bin) {
    const pg = new OwnPostgres(bin);
    pg.dir = mkdtempSync(join(tmpdir(), "kandid-pg-"));
    pg.data = join(pg.dir, "data");
    pg.port = await freePort();
    if (process.getuid?.() === 0) {
      pg.asUser = "postgres";
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(pg.dir, uid, gid);
    }
    pg.run("initdb", ["-D", pg.data, "-U", "postgres", "-A", "trust", "--no-sync", "--no-instructions"]);
    await pg.start();
    return pg;
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start() {
    const opts = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=50`;
    this.run("pg_ctl", ["-D", this.data, "-l", join(this.dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
  }

  /** `fast` ends sessions with an admin-shutdown error; `immediate` drops them like a crash. */
  stop(mode = "fast") {
    this.run("pg_ctl", ["-D", this.data, "-m", mode, "-w", "-t", "60", "stop"]);
  }

  destroy() {
    try {
      this.stop("immediate");
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
