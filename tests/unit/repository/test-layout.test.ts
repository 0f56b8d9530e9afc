// Unit tests mirror what they test: tests/unit/<folder>/ is named after the lib/ folder of the
// modules it tests (tools/ for development programs, repository/ for checks over the whole tree,
// the top level for the files at lib/'s and the project's top), so a module's tests are found by its path.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const unit = path.join(root, "tests/unit");

it("every folder of tests/unit is a lib/ folder, tools or repository", () => {
  const folders = fs.readdirSync(unit, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  const stray = folders.filter((name) => !["tools", "repository"].includes(name) && !fs.existsSync(path.join(root, "lib", name)));
  expect(stray).toEqual([]);
});

it("a test at the top of tests/unit is about a top-level module", () => {
  const top = fs.readdirSync(unit).filter((name) => name.endsWith(".test.ts"));
  const stray = top.filter((name) => {
    const tested = name.replace(/\.test\.ts$/, "").replace(/-matcher$/, "");
    return ![`lib/${tested}.ts`, `${tested}.ts`].some((candidate) => fs.existsSync(path.join(root, candidate)));
  });
  expect(stray).toEqual([]);
});
