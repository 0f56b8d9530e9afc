import fs from "node:fs";
import path from "node:path";
import { parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify } from "@/lib/content/slug";

export interface KnownArticle {
  path: string;
  title: string;
  access: "free" | "metered" | "subscribers";
  firstParagraph: string;
  lastParagraph: string;
}

function load(file: string, access: KnownArticle["access"]): KnownArticle {
  const parsed = parsePlainTextArticle(fs.readFileSync(file, "utf8"));
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

/** The seeded demo articles, and the fixture the e2e server imports as metered. */
export const demo = manifest.map((entry) => load(path.join("db/seed/articles", entry.file), entry.access));
export const fixture = load(path.resolve("../shared/fixtures/izium-article.txt"), "metered");
export const metered = [fixture, ...demo.filter((a) => a.access === "metered")];
export const subscribersOnly = demo.filter((a) => a.access === "subscribers");
export const free = demo.filter((a) => a.access === "free");
