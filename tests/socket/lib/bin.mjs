// Where the kandid binary under test is: `KANDID_BIN` when set (tests/run builds once and
// sets it), else cargo builds the debug binary now and says where it put it, so that a test
// file run on its own never tests a stale binary, whatever CARGO_TARGET_DIR says.
// Run as a script, it builds and prints the path.
import { execFileSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, "../../..");

/** Builds `kandid` (debug) and returns the path cargo reports for its executable. */
export function buildKandid() {
  const out = execFileSync("cargo", ["build", "-q", "-p", "kandid", "--message-format=json"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of out.split("\n")) {
    if (!line.startsWith("{")) continue;
    const msg = JSON.parse(line);
    if (msg.reason === "compiler-artifact" && msg.target?.name === "kandid" && msg.executable) return msg.executable;
  }
  throw new Error("cargo built no kandid executable");
}

export const BIN = process.env.KANDID_BIN || buildKandid();
/** Where tests leave files for people to look at (screenshots): beside the binary's target dir. */
export const ARTIFACTS = process.env.KANDID_ARTIFACTS || resolve(dirname(BIN), "..", "test-artifacts");

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(BIN);
}
