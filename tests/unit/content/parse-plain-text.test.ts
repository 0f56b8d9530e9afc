import { describe, expect, it } from "vitest";
import { ArticleFormatError, parsePlainTextArticle } from "@/lib/content/parse-plain-text";
import { slugify, slugSchema } from "@/lib/content/slug";
import { articleFixtures, mainFixture, projectFixtures } from "../../support/fixtures";

const fixture = (name: string) => projectFixtures.find((f) => f.name === name)!.text;
// Syndication copy as the shared fixture has it: "Read more at …", and a closing "Sign up now." or "Subscribe now."
const PROMOTIONAL = /^Read more at|(?:^|\s)(?:Sign up|Subscribe) now[.!]?$/m;

/** What the shared fixtures are known to hold, checked only where they are present. */
const knownShared: Record<string, { title: string; credit: string; blocks: number }> = {
  "izium-article.txt": {
    title: "Ukraine Takes Back Control of Key City, Forcing Humiliating Russian Retreat",
    credit: "Future Publishing/Getty",
    blocks: 7,
  },
};

describe("plain-text article parser", () => {
  it("reads the main fixture: headline, one credit from its repeated line, promotional lines dropped", () => {
    const parsed = parsePlainTextArticle(mainFixture.text);
    expect(parsed.title).toBe("Port Calder Dockworkers End Nine-Day Strike After Port Authority Agrees to Hire 40 Crane Operators");
    expect(parsed.credit).toBe("Tomasz Ferreira/Port Calder Ledger");
    expect(parsed.blocks).toHaveLength(7);
    expect(parsed.blocks.every((b) => b.kind === "paragraph")).toBe(true);
    expect(parsed.blocks[0]!.text).toMatch(/^Cranes at the Kettle Point container terminal/);
    expect(parsed.blocks.at(-1)!.text).toMatch(/by the middle of next week, weather permitting\.$/);
    expect(parsed.blocks.map((b) => b.text).join("\n")).not.toMatch(/Read more at|Sign up now|Subscribe now/i);
  });

  it("keeps quotes as written, a quotation paragraph as a paragraph, and a long paragraph whole", () => {
    const texts = parsePlainTextArticle(mainFixture.text).blocks.map((b) => b.text);
    expect(texts[1]).toMatch(/^“We went out for safety, and we are coming back with safety,” said Teodora Vance/);
    expect(texts[2]).toContain(`"It is expensive, and it's the right thing to do," the authority's chief executive`);
    expect(texts[3]).toMatch(/^“Nobody on that terminal wanted to strike\..*signed their names to it\.”$/);
    expect(texts[4]).toMatch(/^The dispute had been building since August.*delays of up to a month\.$/);
    expect(texts[4]!.length).toBeGreaterThan(1_500);
  });

  it("reads a very long headline with two credit lines under it, wrapped lines, a heading and a quote", () => {
    const parsed = parsePlainTextArticle(fixture("market-hall-long-headline.txt"));
    expect(parsed.title).toMatch(/^Café Owners, Fishmongers and a 94-Year-Old Clockmaker .* Above the Old Fish Market$/);
    expect(parsed.title.length).toBeGreaterThan(250);
    expect(parsed.credit).toBe("Photograph: Rowan Achebe for the Port Calder Ledger / Archive image: Port Calder Maritime Museum");
    expect(parsed.blocks.map((b) => b.kind)).toEqual(["paragraph", "paragraph", "heading", "paragraph", "quote", "paragraph"]);
    expect(parsed.blocks[0]!.text).toBe(
      "More than two hundred people crowded into the council chamber on Monday evening to tell councillors what the " +
        "Quay Street Market Hall means to them, and most of them said the same thing: sell it if you must, but do not " +
        "let it become another shopping arcade.",
    );
    expect(parsed.blocks[2]!.text).toBe("What the developer is offering");
    expect(parsed.blocks[4]!.text).toMatch(/^“I have wound the clock above the east door .* when I can’t\.”$/);
    expect(parsed.blocks.at(-1)!.text).toMatch(/on the 14th\.$/);
  });

  it("takes no credit when the first paragraph is a short quotation, and keeps a story that ends “sign up now.”", () => {
    const parsed = parsePlainTextArticle(fixture("cliff-road-no-credit.txt"));
    expect(parsed.credit).toBeNull();
    expect(parsed.blocks).toHaveLength(5);
    expect(parsed.blocks[0]).toEqual({ kind: "paragraph", text: "“It sounded like the whole hill was letting go.”" });
    expect(parsed.blocks.at(-1)!.text).toMatch(/organisers are asking anyone who wants to come to sign up now\.$/);
    expect(parsed.blocks.map((b) => b.text).join("\n")).not.toContain("Never miss a story");
  });

  it.each(articleFixtures.map((f) => [`${f.origin}/${f.name}`, f] as const))("reads %s: a headline, a body, no promotional lines", (_name, f) => {
    const parsed = parsePlainTextArticle(f.text);
    expect(parsed.title.length).toBeGreaterThan(0);
    expect(parsed.title.length).toBeLessThanOrEqual(300);
    expect(slugSchema.safeParse(slugify(parsed.title)).success).toBe(true);
    expect(parsed.blocks.length).toBeGreaterThan(0);
    for (const block of parsed.blocks) {
      expect(block.text.trim()).toBe(block.text);
      expect(block.text.length).toBeGreaterThan(0);
    }
    expect(parsed.blocks.map((b) => b.text).join("\n")).not.toMatch(PROMOTIONAL);
    if (parsed.credit) expect(new Set(parsed.credit.split(" / ")).size).toBe(parsed.credit.split(" / ").length);
    const known = f.origin === "shared" ? knownShared[f.name] : undefined;
    if (known) expect({ title: parsed.title, credit: parsed.credit, blocks: parsed.blocks.length }).toEqual(known);
  });

  it("makes the documented slug, at most 120 characters", () => {
    expect(slugify(parsePlainTextArticle(mainFixture.text).title)).toBe(
      "port-calder-dockworkers-end-nine-day-strike-after-port-authority-agrees-to-hire-40-crane-operators",
    );
    const long = slugify(parsePlainTextArticle(fixture("market-hall-long-headline.txt")).title);
    expect(long).toMatch(/^cafe-owners-fishmongers-and-a-94-year-old-clockmaker-make-their-case-as-port-calders-council/);
    expect(long.length).toBeLessThanOrEqual(120);
    expect(slugify("Café’s “Best” Crêpes — 2026!")).toBe("cafes-best-crepes-2026");
  });

  it("accepts CRLF line endings, a BOM and no credit", () => {
    const parsed = parsePlainTextArticle("\uFEFFA headline\r\n\r\nFirst paragraph here.\r\n\r\nSecond one.\r\n");
    expect(parsed).toEqual({
      title: "A headline",
      credit: null,
      blocks: [
        { kind: "paragraph", text: "First paragraph here." },
        { kind: "paragraph", text: "Second one." },
      ],
    });
  });

  it.each([
    ["", /empty/],
    ["\n\n  \n", /empty/],
    ["Just a headline\n", /no body/],
    ["Headline\n\nCredit/Photo\n\nRead more at The Daily Beast.\n", /no body/],
    [`${"x".repeat(400)}\n\nBody.`, /headline/],
    ["Headline\n\u0000\u0001binary", /not UTF-8/],
  ])("rejects a malformed file with a message naming the problem (%#)", (input, message) => {
    expect(() => parsePlainTextArticle(input)).toThrow(ArticleFormatError);
    expect(() => parsePlainTextArticle(input)).toThrow(message);
  });
});
