/**
 * The plain-text articles the tests import: the project's own (tests/fixtures/articles), and,
 * where the repository sits beside ../shared/fixtures (as on our CI), those too. A fresh clone
 * has only the project's, and every test passes on them.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface ArticleFixture {
  /** The file name, e.g. `dockworkers-strike.txt`. */
  name: string;
  origin: "project" | "shared";
  text: string;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The folder beside the repository that only our CI machines have. */
export const SHARED_DIR = path.resolve(ROOT, "../shared");
const SHARED_FIXTURES_DIR = path.join(SHARED_DIR, "fixtures");
const PROJECT_FIXTURES_DIR = path.join(ROOT, "tests/fixtures/articles");

function readFixtures(dir: string, origin: ArticleFixture["origin"]): ArticleFixture[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".txt"))
    .sort()
    .map((name) => ({ name, origin, text: fs.readFileSync(path.join(dir, name), "utf8") }));
}

const hasSharedFixtures = fs.existsSync(SHARED_FIXTURES_DIR);
export const projectFixtures = readFixtures(PROJECT_FIXTURES_DIR, "project");
const sharedFixtures = hasSharedFixtures ? readFixtures(SHARED_FIXTURES_DIR, "shared") : [];
/** Every fixture: tests that hold for any article run over these. */
export const articleFixtures = [...projectFixtures, ...sharedFixtures];

/** The one the tests know in detail: a syndicated story with the shared fixture's awkward parts. */
export const mainFixture = projectFixtures.find((f) => f.name === "dockworkers-strike.txt")!;

/**
 * Says once per run when the shared fixtures are absent: the test runners' global setup. Vitest
 * runs it for each project, with this module loaded afresh, so the flag lives on the process.
 */
export default function announceFixtures(): void {
  const said = Symbol.for("masthead.fixtures.announced");
  if (hasSharedFixtures || (globalThis as Record<symbol, unknown>)[said]) return;
  (globalThis as Record<symbol, unknown>)[said] = true;
  console.log("../shared/fixtures not found: running on the project's own fixtures only");
}
