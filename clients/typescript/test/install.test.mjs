// The kit as a user installs it: from a clean `npm pack` tarball (whose `prepare` built
// dist/) and from a `file:` path, into a fresh project outside this repository, where a file
// importing both entries passes `tsc --noEmit` and the core entry loads in Node.
// npm works from its cache here (`--prefer-offline`): the versions are this package's own.
import { it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const own = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
const npm = (args, cwd) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

const APP = `
import { createApi, connect, liveSync, createClient, KandidError, type LogEvent, type Lead } from "@kandid/client";
import { KandidProvider, useLeads, useUpdateLead, useConnection, kandidKeys, ConflictError } from "@kandid/client/react";
import { QueryClient } from "@tanstack/react-query";
import { createElement } from "react";

const token = (): string | null => localStorage.getItem("token");
const api = createApi({ baseUrl: "http://localhost:8080", token });
const socket = connect("http://localhost:8080", token);
const queryClient = new QueryClient();
liveSync({ socket, queryClient, since: "latest" });
const client = createClient({ baseUrl: "http://localhost:8080", queryClient });
client.on("session_revoked", (e) => console.log(e.reason));
async function events(): Promise<string[]> {
  const page = await api.events(0);
  return page.data.map((e: LogEvent) => (e.type === "leads_updated" && e.data ? e.data.name : e.type));
}
function Leads() {
  const { leads, fetchNextPage } = useLeads({ q: "acme", status: "pending" });
  const update = useUpdateLead();
  const { status } = useConnection();
  const err = update.error;
  const current: Lead | undefined = err instanceof ConflictError ? (err.current as Lead) : undefined;
  void fetchNextPage;
  return createElement("p", null, status, leads.length, current?.name, err instanceof KandidError ? err.detail : "");
}
export const app = createElement(KandidProvider, { queryClient, client }, createElement(Leads));
export { events, kandidKeys };
`;

function project(dep) {
  const dir = mkdtempSync(join(tmpdir(), "kandid-install-"));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "fresh-app", private: true, type: "module",
      dependencies: {
        "@kandid/client": dep,
        "@tanstack/react-query": own.devDependencies["@tanstack/react-query"],
        react: own.devDependencies.react,
        "@types/react": own.devDependencies["@types/react"],
      },
    }),
  );
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, noEmit: true, lib: ["ES2022", "DOM"], types: [] }, include: ["app.ts"] }),
  );
  writeFileSync(join(dir, "app.ts"), APP);
  return dir;
}

function check(dir) {
  npm(["install", "--prefer-offline"], dir);
  assert.ok(existsSync(join(dir, "node_modules/@kandid/client/dist/index.js")), "dist/ shipped");
  assert.ok(existsSync(join(dir, "node_modules/@kandid/client/dist/react/index.js")), "dist/react shipped");
  try {
    // No skipLibCheck: the kit's declarations must check too.
    execFileSync(join(pkg, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
  } catch (e) {
    assert.fail(`tsc: ${e.stdout}`);
  }
  const out = execFileSync("node", ["--input-type=module", "-e", 'const k = await import("@kandid/client"); console.log(typeof k.createApi, typeof k.KandidClient)'], { cwd: dir, encoding: "utf8" });
  assert.equal(out.trim(), "function function");
}

it("installs from a clean npm pack and type-checks with both entries", () => {
  const out = mkdtempSync(join(tmpdir(), "kandid-pack-"));
  let dir;
  try {
    // A clean checkout (no dist/; its dev dependencies are this one's), packed: `npm pack`
    // runs `prepare`, which must build dist/ from src/.
    const clean = join(out, "checkout");
    for (const f of ["src", "package.json", "tsconfig.json", "README.md"]) cpSync(join(pkg, f), join(clean, f), { recursive: true });
    symlinkSync(join(pkg, "node_modules"), join(clean, "node_modules"));
    const name = npm(["pack", "--pack-destination", out], clean).trim().split("\n").pop();
    dir = project(`file:${join(out, name)}`);
    check(dir);
  } finally {
    rmSync(out, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

it("installs from a file: path and type-checks with both entries", () => {
  const dir = project(`file:${pkg}`);
  try {
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
