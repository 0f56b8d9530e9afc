import { describe, expect, it } from "vitest";
import { lockedTextInPublicFields } from "@/lib/content/public-field-repeats";
import { pickCanaries } from "@/lib/leak-audit/canaries";
import { publicFields } from "@/tools/leak-audit/channels/public-fields";
import { linksIn } from "@/tools/leak-audit/channels/types";
import { AuditContext, locate, type Identity } from "@/tools/leak-audit/context";

const locked = [
  "The council’s finance chair said the reserve draw would be repaid over six years from parking revenue.",
  "Short one.",
  "Residents who spoke at the hearing asked the council to publish the full list of deferred road projects.",
];

describe("canaries", () => {
  it("are runs of plain words from the first, middle and last locked blocks", () => {
    const canaries = pickCanaries(locked, "");
    expect(canaries).toEqual([
      "finance chair said the reserve draw would be repaid over six years from parking revenue",
      "Residents who spoke at the hearing asked the council to publish the full list of deferred",
    ]);
    for (const c of canaries) expect(c).toMatch(/^[A-Za-z0-9 ,]+$/);
  });

  it("never a sentence the open part also has (it is legitimately public)", () => {
    expect(pickCanaries(locked, `Lead-in. ${locked[2]}`)).toHaveLength(1);
  });
});

describe("the audit's inspection", () => {
  const article = { id: 7, slug: "budget", title: "Budget", access: "subscribers" as const, published: true, canaries: ["the reserve draw would be repaid over six years"], repeats: [] };
  const reader = (mayRead: number[]): Identity => ({ name: "stranger", cookie: null, mayRead: new Set(mayRead) });
  const source = (mayRead: number[]) => ({ channel: "pages", identity: reader(mayRead), url: "http://site/x", method: "GET", headers: { rsc: "1" }, mayRead: new Set(mayRead) });

  it("names a canary where it must not be: channel, URL, headers sent, article and place", () => {
    const ctx = new AuditContext(new URL("http://site"), [article], []);
    ctx.inspect(source([]), `<html><head><meta property="og:description" content="… the reserve draw would\n be repaid over six years …"></head></html>`);
    expect(ctx.findings).toEqual([
      expect.objectContaining({ kind: "leak", channel: "pages", url: "http://site/x", headers: { rsc: "1" }, article: { id: 7, slug: "budget", title: "Budget" }, where: "meta tag og:description" }),
    ]);
  });

  it("allows full text to a reader who may read it, but only privately", () => {
    const ctx = new AuditContext(new URL("http://site"), [article], []);
    ctx.inspect(source([7]), "<p>the reserve draw would be repaid over six years</p>", new Headers({ "cache-control": "private, no-store" }));
    expect(ctx.findings).toEqual([]);
    ctx.inspect(source([7]), "<p>the reserve draw would be repaid over six years</p>", new Headers({ "cache-control": "public, s-maxage=60" }));
    expect(ctx.findings.map((f) => f.kind)).toEqual(["cache"]);
  });

  it("finds canaries in response headers too", () => {
    const ctx = new AuditContext(new URL("http://site"), [article], []);
    ctx.inspect(source([]), "", new Headers({ "x-excerpt": "the reserve draw would be repaid over six years" }));
    expect(ctx.findings[0]?.where).toBe("header x-excerpt");
  });

  it("locates JSON-LD, scripts, and the body", () => {
    expect(locate('<head><script type="application/ld+json">{"articleBody":"X', 52)).toBe("JSON-LD");
    expect(locate("<head></head><body><script>var a = 'X", 38)).toBe("<script>");
    expect(locate("<head></head><body><div hidden>X", 31)).toBe("HTML body");
  });
});

describe("links", () => {
  it("same-origin links, sources, sitemap locations and feed links, without fragments", () => {
    const body = `<a href="/a#x">a</a><img src="/i.svg"><a href="https://else.example/b">b</a><loc>http://site/c</loc><link>http://site/d</link>\nSitemap: http://site/e`;
    expect(linksIn(body, "http://site/", new URL("http://site"))).toEqual(["http://site/a", "http://site/i.svg", "http://site/c", "http://site/d", "http://site/e"]);
  });
});

describe("locked text in public fields", () => {
  const locked = ["The council’s finance chair said the reserve draw would be repaid over six years from parking revenue. Nobody objected at all."];

  it("is found in each public field, whole or as six words in a row, however it is cased, quoted or slugged", () => {
    const fields = {
      title: "Finance chair: reserve draw would be repaid over six years",
      dek: "“Nobody objected at all.”",
      heroImageAlt: "The council's finance chair said the reserve draw, at the hearing",
      heroImageCredit: "PHOTO: THE RESERVE DRAW WOULD BE REPAID",
      slug: "reserve-draw-would-be-repaid-over-six-years",
    };
    const sentence = locked[0]!.split(". ")[0]! + ".";
    expect(lockedTextInPublicFields(fields, locked)).toEqual([
      { field: "title", sentence },
      { field: "dek", sentence: "Nobody objected at all." },
      { field: "heroImageAlt", sentence },
      { field: "heroImageCredit", sentence },
      { field: "slug", sentence },
    ]);
  });

  it("is not a short phrase the two happen to share", () => {
    expect(lockedTextInPublicFields({ title: "The finance chair said no", dek: "Parking revenue, six years on" }, locked)).toEqual([]);
  });

  it("is reported by the audit naming the article, the field and the sentence, unless an admin confirmed it", async () => {
    const repeats = [
      { field: "dek" as const, sentence: "Nobody objected at all.", confirmed: false },
      { field: "title" as const, sentence: "Nobody objected at all.", confirmed: true },
    ];
    const ctx = new AuditContext(new URL("http://site"), [{ id: 7, slug: "budget", title: "Budget", access: "subscribers", published: true, canaries: [], repeats }], []);
    await publicFields.run(ctx, { mailboxDir: null, chromiumPath: "" });
    expect(ctx.findings).toEqual([
      expect.objectContaining({
        kind: "leak",
        channel: "public-fields",
        url: "http://site/articles/budget",
        article: { id: 7, slug: "budget", title: "Budget" },
        where: expect.stringMatching(/^standfirst \(page, meta description, og:description/),
        canary: "Nobody objected at all.",
      }),
    ]);
    expect(ctx.notes).toEqual([expect.stringContaining("budget: the headline repeats a locked sentence, confirmed as intended")]);
  });
});
