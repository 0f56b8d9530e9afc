import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "@/db/client";
import { findPublishedArticleMeta, loadBlocks, saveArticle } from "@/lib/content/articles";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases";

const run = promisify(execFile);
const SLUG = "ferry-returns";

// What an editor set around the words: a re-import must not wipe it.
const edited = {
  slug: SLUG,
  title: "Ferry returns",
  dek: "Three winters after the last crossing.",
  byline: "By Ledger staff",
  heroImage: "/images/demo/harbour-bridge.svg",
  heroImageAlt: "The harbour bridge at dusk",
  heroImageCredit: "Ledger photo desk",
  leadInBlocks: 3,
  access: "subscribers" as const,
  blocks: [{ kind: "paragraph" as const, text: "The first version of the story." }],
};

const PUBLISHED = new Date("2026-01-02T03:04:05Z");
// What a re-import without --replace-all keeps of the edits (the headline and body are replaced; access only with --access).
const kept = {
  dek: edited.dek,
  byline: edited.byline,
  heroImage: edited.heroImage,
  heroImageAlt: edited.heroImageAlt,
  heroImageCredit: edited.heroImageCredit,
  leadInBlocks: edited.leadInBlocks,
  publishedAt: PUBLISHED,
};

const file = (headline: string, ...paragraphs: string[]) => [headline, "Wire Photo/Agency", "", ...paragraphs.flatMap((p) => [p, ""])].join("\n");
const newText = file(
  "Night ferry sails again",
  "The night ferry sailed again on Tuesday, its first crossing in three winters.",
  "Passengers queued along the quay well before the gates opened at ten.",
  "The harbour master said the timetable would be reviewed in the spring.",
);

// `npm run articles:import` as an editor runs it, against a database this test opens only between runs.
describe.each(engines)("re-importing an article from the command line on %s", (engine) => {
  let t: TestDatabase | undefined;
  let dir: string;
  let target: { url?: string; dataDir?: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-reimport-"));
    if (engine === "postgres") {
      t = await createTestDatabase(engine);
      target = { url: t.url };
    } else {
      target = { dataDir: path.join(dir, "data") };
    }
    await withDb((db) => saveArticle(db, { ...edited, publishedAt: PUBLISHED }));
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withDb<T>(task: (db: Db) => Promise<T>): Promise<T> {
    const handle = await openDatabase(target);
    try {
      return await task(handle.db);
    } finally {
      await handle.close();
    }
  }
  const importFile = async (text: string, ...args: string[]) => {
    const filePath = path.join(dir, `article-${Date.now()}.txt`);
    fs.writeFileSync(filePath, text);
    const env = { ...process.env, DATABASE_URL: target.url ?? "", DATA_DIR: target.dataDir ?? "" };
    return run(process.execPath, ["--import", "tsx", "--conditions=react-server", "tools/articles-import.ts", filePath, ...args], { env });
  };
  const article = () =>
    withDb(async (db) => {
      const meta = (await findPublishedArticleMeta(db, SLUG, new Date()))!;
      return { meta, body: (await loadBlocks(db, meta.id, 0)).map((b) => b.text) };
    });

  it("replaces only the headline and body, and says what it kept", async () => {
    const { stdout, stderr } = await importFile(newText, "--slug", SLUG);
    expect(stdout.trim()).toBe(`/articles/${SLUG}`);
    expect(stderr).toContain("Replaced the headline and body; kept the standfirst, byline, image, alt text, credit, lead-in and access");
    const { meta, body } = await article();
    expect(meta).toMatchObject({ ...kept, title: "Night ferry sails again", access: "subscribers" });
    expect(body).toHaveLength(3);
    expect(body[0]).toMatch(/^The night ferry sailed again/);
    // The kept lead-in of 3 cannot be shown whole on 3 paragraphs: the importer says so.
    expect(stderr).toContain("Readers without access will see only 1 of the 3 lead-in paragraphs");
  });

  it("with --access, changes the access as given, keeps the other edits, and says what changed", async () => {
    const { stderr } = await importFile(newText, "--slug", SLUG, "--access", "free");
    expect(stderr).toContain(
      "Replaced the headline and body; changed the access from subscribers to free (as given); kept the standfirst, byline, image, alt text, credit and lead-in (--replace-all replaces them too).",
    );
    const { meta } = await article();
    expect(meta).toMatchObject({ ...kept, access: "free" });
  });

  it("with --replace-all, replaces everything from the file and the options, and keeps the date", async () => {
    const { stderr } = await importFile(newText, "--slug", SLUG, "--access", "free", "--replace-all");
    expect(stderr).not.toContain("kept");
    const { meta } = await article();
    expect(meta).toMatchObject({
      title: "Night ferry sails again",
      dek: null,
      byline: null,
      heroImage: null,
      heroImageAlt: null,
      heroImageCredit: "Wire Photo/Agency",
      leadInBlocks: null,
      access: "free",
      publishedAt: PUBLISHED,
    });
  });

  it("tells the editor when an article is too short for any preview", async () => {
    const { stdout, stderr } = await importFile(file("A one-paragraph brief", "Only one paragraph, so no preview at all."), "--access", "subscribers");
    expect(stdout.trim()).toBe("/articles/a-one-paragraph-brief");
    expect(stderr).toContain("Too short for a preview: readers without access see only the headline and standfirst.");
  });
});
