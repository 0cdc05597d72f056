// The README's React snippet ("Connect your frontend") type-checks against the kit as
// built, with React's own types.
import { it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");

it("the README's React snippet type-checks", () => {
  const readme = readFileSync(resolve(pkg, "../../README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Connect your frontend"));
  const snippet = section.match(/```tsx\n([\s\S]*?)```/)?.[1];
  assert.ok(snippet, "the section has a tsx block");
  // Inside the package, so that `@kandid/client` and React resolve as for a user of it.
  const dir = mkdtempSync(join(pkg, ".readme-"));
  try {
    writeFileSync(join(dir, "snippet.tsx"), snippet);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "ESNext", moduleResolution: "Bundler", jsx: "react-jsx", strict: true, noEmit: true,
          skipLibCheck: true, lib: ["ES2022", "DOM"], types: [], paths: { "@kandid/client": [resolve(pkg, "dist/index.d.ts")], "@kandid/client/react": [resolve(pkg, "dist/react/index.d.ts")] },
        },
        include: ["snippet.tsx"],
      }),
    );
    try {
      execFileSync(resolve(pkg, "node_modules/.bin/tsc"), ["-p", dir], { encoding: "utf8" });
    } catch (e) {
      assert.fail(`tsc: ${e.stdout}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
