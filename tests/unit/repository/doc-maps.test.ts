import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The maps a newcomer reads (README, ARCHITECTURE, docs/, tools' READMEs) must match the
// repository: every path they name exists, every link lands, every document is indexed, and
// every lib/ module has its place in both layer tables.
const root = fileURLToPath(new URL("../../..", import.meta.url));

// Generated or installed, never part of the repository's own tree (.gitignore).
const notOurs = (name: string) =>
  ["node_modules", ".git", "test-results", "playwright-report", "bench-results", "bench-baseline", "next-env.d.ts"].includes(name) ||
  /^\.(next|data)/.test(name);

/** Every file and folder of the repository, relative to its root; folders end in "/". */
function repoEntries(dir = ""): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    if (notOurs(e.name)) return [];
    const rel = `${dir}${e.name}`;
    return e.isDirectory() ? [`${rel}/`, ...repoEntries(`${rel}/`)] : [rel];
  });
}

const entries = repoEntries();
const topLevel = new Set(entries.filter((e) => !e.slice(0, -1).includes("/")).map((e) => e.replace(/\/$/, "")));
const markdownFiles = entries.filter((e) => e.endsWith(".md"));
const read = (rel: string) => fs.readFileSync(path.join(root, rel), "utf8");

/** The text outside fenced code blocks (commands there are not maps). */
const prose = (markdown: string) => markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");

const KNOWN_EXTENSIONS = /\.(ts|tsx|mts|js|mjs|cjs|json|md|sh|conf|sql|css|txt|ya?ml|html|png|jpe?g|svg|webp)$/;

/**
 * A backticked span is a repository path when it has no spaces, starts with a top-level file or
 * folder of the repository, and has a "/" or a known extension. Patterns stand for paths that
 * name no single file: `<name>` and `*` are one segment, `{a,b}` alternatives, `…` anything.
 */
function repoPaths(markdown: string): string[] {
  return [...prose(markdown).matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!.trim())
    .filter((span) => !/\s/.test(span) && topLevel.has(span.split("/")[0]!) && (span.includes("/") || KNOWN_EXTENSIONS.test(span)));
}

const isPattern = (p: string) => /[*<{…]/.test(p);

function patternRegex(pattern: string): RegExp {
  const source = pattern
    .replace(/[.+?^$()|[\]\\]/g, "\\$&")
    .replace(/<[^>/]+>/g, "[^/]+")
    .replace(/\*+/g, "[^/]*")
    .replace(/\{([^}]*)\}/g, (_, alternatives: string) => `(?:${alternatives.split(",").join("|")})`)
    .replace(/…/g, ".*");
  return new RegExp(`^${source}${pattern.endsWith("/") ? "" : "/?"}$`);
}

function exists(p: string): boolean {
  if (isPattern(p)) {
    const regex = patternRegex(p);
    return entries.some((e) => regex.test(e));
  }
  return p.endsWith("/") ? entries.includes(p) : entries.includes(p) || entries.includes(`${p}/`);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n === 0 ? base : `${base}-${n}`);
  }
  return result;
}

/** Relative links ([text](target)), outside code, resolved from the file that has them. */
function relativeLinks(file: string, markdown: string): Array<{ target: string; file: string; anchor: string | null }> {
  const text = prose(markdown).replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [filePart, anchor] = target.split("#") as [string, string | undefined];
      const resolved = filePart ? path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart)) : file;
      return { target, file: resolved, anchor: anchor ?? null };
    });
}

function brokenLinks(file: string, markdown: string): string[] {
  return relativeLinks(file, markdown)
    .filter(({ file: target, anchor }) => {
      if (!entries.includes(target) && !entries.includes(`${target}/`)) return true;
      return anchor !== null && target.endsWith(".md") && !anchors(read(target)).has(anchor);
    })
    .map((l) => l.target);
}

/** Brace expansion for the layer tables' globs: lib/{a,b}.ts → lib/a.ts, lib/b.ts. */
function expand(glob: string): string[] {
  const match = /\{([^{}]*)\}/.exec(glob);
  if (!match) return [glob];
  return match[1]!.split(",").flatMap((alt) => expand(glob.slice(0, match.index) + alt + glob.slice(match.index + match[0].length)));
}

/** The lib/ modules a set of paths or globs names: lib/x/… and lib/x.ts give x; lib/** names none. */
function modulesNamed(globs: string[]): Set<string> {
  return new Set(
    globs
      .flatMap(expand)
      .map((g) => /^lib\/([\w-]+)(?:\.ts$|\/|$)/.exec(g)?.[1])
      .filter((m): m is string => !!m),
  );
}

const libModules = fs
  .readdirSync(path.join(root, "lib"), { withFileTypes: true })
  .filter((e) => e.isDirectory() || /\.tsx?$/.test(e.name))
  .map((e) => e.name.replace(/\.tsx?$/, ""))
  .sort();

describe("the docs' maps match the repository", () => {
  it("finds the maps and the paths in them", () => {
    expect(markdownFiles).toEqual(expect.arrayContaining(["README.md", "ARCHITECTURE.md", "docs/README.md", "docs/decisions/README.md", "tools/stripe-emulator/README.md"]));
    expect(repoPaths("`lib/access/` `proxy.ts` `app/admin/<feature>/page.tsx` `npm run dev` `/admin/trace` `../shared/` `sk_test_…` `lib`")).toEqual([
      "lib/access/",
      "proxy.ts",
      "app/admin/<feature>/page.tsx",
    ]);
  });

  it("can fail: a missing file, folder or pattern is reported", () => {
    expect(["lib/access/decide-access.ts", "lib/access/", "lib/{env,server-secret}.ts", "tests/integration/billing*.test.ts", "app/admin/<feature>/page.tsx", "tests/…"].every(exists)).toBe(true);
    expect(["lib/access/reading-decision.ts", "lib/nowhere/", "lib/nowhere.ts", "tests/integration/nothing*.test.ts", "app/<x>/nothing.tsx"].some(exists)).toBe(false);
    expect(exists("lib/access/decide-access.ts/")).toBe(false);
  });

  it.each(markdownFiles)("every backticked repository path in %s exists", (file) => {
    const missing = repoPaths(read(file)).filter((p) => !exists(p));
    expect(missing, `${file} names paths that do not exist`).toEqual([]);
  });

  it("can fail: a link to a missing file or heading is reported; headings get GitHub's anchors", () => {
    expect(brokenLinks("docs/x.md", "[a](../README.md) [b](testing.md) [c](https://example.com/nope.md) `[d](nope.md)`")).toEqual([]);
    expect(brokenLinks("docs/x.md", "[a](../NOPE.md) [b](../README.md#no-such-heading) [c](decisions/)")).toEqual(["../NOPE.md", "../README.md#no-such-heading"]);
    expect([...anchors("# Why a reader sees the paywall: the access trace\n## What `npm run dev` starts\n## Notes\n## Notes\n")]).toEqual([
      "why-a-reader-sees-the-paywall-the-access-trace",
      "what-npm-run-dev-starts",
      "notes",
      "notes-1",
    ]);
  });

  it.each(markdownFiles)("every relative link in %s lands on a file and, if it names one, a heading", (file) => {
    expect(brokenLinks(file, read(file)), `${file} links to what does not exist`).toEqual([]);
  });

  it("docs/README.md links every document in docs/ and the decision records' index; the README links docs/README.md", () => {
    const linked = new Set(relativeLinks("docs/README.md", read("docs/README.md")).map((l) => l.file));
    const documents = markdownFiles.filter((f) => f.startsWith("docs/") && f !== "docs/README.md" && (!f.startsWith("docs/decisions/") || f === "docs/decisions/README.md"));
    expect(documents.filter((d) => !linked.has(d))).toEqual([]);
    expect(relativeLinks("README.md", read("README.md")).map((l) => l.file)).toContain("docs/README.md");
  });

  it("the decision records' index links every record", () => {
    const linked = new Set(relativeLinks("docs/decisions/README.md", read("docs/decisions/README.md")).map((l) => l.file));
    const records = markdownFiles.filter((f) => /^docs\/decisions\/\d{4}-.+\.md$/.test(f));
    expect(records.length).toBeGreaterThan(20);
    expect(records.filter((r) => !linked.has(r))).toEqual([]);
  });
});

describe("no tracker references a newcomer cannot open", () => {
  // Our issue numbers and branch names mean nothing outside this team; another project's issue
  // is written with its name (porsager/postgres#1208), and a commit by its hash.
  const ourIssue = /\bissues? #?\d+\b|(?<![\w/.&-])#\d+\b|\(branch\b|\bbranch `/i;
  const sources = entries.filter((e) => /\.(md|ts|tsx|mjs|js|sh|sql)$/.test(e) && !e.startsWith("tests/fixtures/"));

  it("can fail", () => {
    expect([`(issue ${12})`, `Issue ${15} moved it`, "see #12", "(branch `mailbox`)"].every((t) => ourIssue.test(t))).toBe(true);
    expect(["porsager/postgres#1208", "&#39;", "a newsletter issue", "commit 44575c2"].some((t) => ourIssue.test(t))).toBe(false);
  });

  it("in any Markdown file", () => {
    const found = markdownFiles.flatMap((f) => read(f).split("\n").filter((line) => ourIssue.test(line)).map((line) => `${f}: ${line.trim()}`));
    expect(found).toEqual([]);
  });

  it("in any source file: issue numbers", () => {
    const found = sources.flatMap((f) => read(f).split("\n").filter((line) => /\bissues? #?\d+\b/i.test(line)).map((line) => `${f}: ${line.trim()}`));
    expect(found).toEqual([]);
  });
});

describe("every lib/ module has its place in both layer tables", () => {
  it("in ARCHITECTURE.md's layer table", () => {
    const section = read("ARCHITECTURE.md").split(/^## Layers.*$/m)[1]!.split(/^## /m)[0]!;
    const named = modulesNamed([...section.matchAll(/^ {4}.*$/gm)].flatMap(([line]) => line.match(/lib\/(?:\{[^}]*\}|[^\s,{])+/g) ?? []));
    expect(libModules.filter((m) => !named.has(m))).toEqual([]);
    expect([...named].filter((m) => !libModules.includes(m))).toEqual([]);
  });

  it("in the lint layer table (eslint.config.mjs)", () => {
    const table = /const layers = \[([\s\S]*?)\n\];/.exec(read("eslint.config.mjs"))?.[1];
    expect(table, "eslint.config.mjs has a `const layers = [ … ];` table").toBeTruthy();
    const globs = [...table!.matchAll(/files: \[([^\]]*)\]/g)].flatMap(([, list]) => [...list!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
    const named = modulesNamed(globs);
    expect(libModules.filter((m) => !named.has(m))).toEqual([]);
    expect([...named].filter((m) => !libModules.includes(m))).toEqual([]);
  });
});
