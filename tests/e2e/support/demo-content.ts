import fs from "node:fs";
import path from "node:path";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";
import { articleFixtures } from "../../support/fixtures";

export interface KnownArticle {
  path: string;
  title: string;
  access: "free" | "metered" | "subscribers";
  firstParagraph: string;
  lastParagraph: string;
}

function load(text: string, access: KnownArticle["access"]): KnownArticle {
  const parsed = parsePlainTextArticle(text);
  return {
    path: `/articles/${slugify(parsed.title)}`,
    title: parsed.title,
    access,
    firstParagraph: parsed.blocks[0]!.text,
    lastParagraph: parsed.blocks.at(-1)!.text,
  };
}

const manifest = JSON.parse(fs.readFileSync("db/seed/demo-articles.json", "utf8")) as Array<{
  file: string;
  access: KnownArticle["access"];
}>;

/** The seeded demo articles, and the fixtures the e2e server imports as metered (tests/support/servers/prepared-server.ts). */
export const demo = manifest.map((entry) => load(fs.readFileSync(path.join("db/seed/articles", entry.file), "utf8"), entry.access));
export const fixtures = articleFixtures.map((f) => load(f.text, "metered"));
export const metered = [...fixtures, ...demo.filter((a) => a.access === "metered")];
export const subscribersOnly = demo.filter((a) => a.access === "subscribers");
export const free = demo.filter((a) => a.access === "free");
