import { expect, test } from "@playwright/test";
import { adminPage } from "./support/sign-in";
import { recordResponses } from "./support/responses";

const stamp = Date.now().toString(36);
const words = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `${tag}${stamp}w${i}`).join(" ");

interface ShortArticle {
  headline: string;
  paragraphs: string[];
  /** Paragraphs a reader without access sees (site default lead-in: 2). */
  shown: number;
  /** What the editor says beside the lead-in field, if anything. */
  warning: RegExp | null;
}

const articles: ShortArticle[] = [
  { headline: `A one-paragraph brief ${stamp}`, paragraphs: [words("one", 40)], shown: 0, warning: /^Too short for a preview: readers without access see only the headline and standfirst/ },
  {
    headline: `A two-paragraph brief ${stamp}`,
    paragraphs: [words("twoa", 8), words("twob", 40)],
    shown: 1,
    warning: /^Readers without access will see only 1 of the 2 lead-in paragraphs/,
  },
  { headline: `A three-paragraph brief ${stamp}`, paragraphs: [words("thra", 10), words("thrb", 10), words("thrc", 40)], shown: 2, warning: null },
];

test("short subscriber-only articles: the editor shows where the preview ends, and no response to an anonymous reader carries the last paragraph", async ({
  browser,
}) => {
  const page = await adminPage(browser, "/admin/articles/new");
  const paths: string[] = [];
  for (const article of articles) {
    await page.goto("/admin/articles/new");
    await page.getByLabel("Headline").fill(article.headline);
    await page.getByLabel("Standfirst").fill(`Standfirst ${stamp}`);
    await page.getByLabel("Body (Markdown)").fill(article.paragraphs.join("\n\n"));
    await page.getByLabel("Who may read it").selectOption("subscribers");

    // The live preview marks where readers without access stop, for every length.
    const preview = page.getByRole("region", { name: "Preview" });
    const cut = preview.locator(".admin-preview__body > .admin-preview__cut");
    await expect(cut).toHaveCount(1);
    await expect(preview.locator(".admin-preview__body > *").nth(article.shown === 0 ? 0 : article.shown)).toHaveClass(/admin-preview__cut/);
    const warning = page.locator(".field-warning");
    if (article.warning) await expect(warning).toHaveText(article.warning);
    else await expect(warning).toHaveCount(0);

    await page.getByRole("radio", { name: "Publish now" }).check();
    await page.getByRole("button", { name: "Publish now" }).click();
    await page.waitForURL(/\/admin\/articles\/\d+\?saved=created$/);
    const slug = await page.getByLabel("Slug").inputValue();
    expect(slug).not.toBe("");
    paths.push(`/articles/${slug}`);
  }

  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  const bodies = recordResponses(readerPage);
  await readerPage.goto("/");
  for (const article of articles) await expect(readerPage.getByRole("link", { name: article.headline })).toBeVisible();

  for (const [i, article] of articles.entries()) {
    await readerPage.goto(paths[i]!);
    await expect(readerPage.getByRole("heading", { name: article.headline, level: 1 })).toBeVisible();
    await expect(readerPage.getByText(`Standfirst ${stamp}`)).toBeVisible();
    await expect(readerPage.locator("[data-paywall]")).toBeVisible();
    expect(await readerPage.locator("article[data-access]").getAttribute("data-access")).toBe("preview");
    await expect(readerPage.locator(".article__body p")).toHaveCount(article.shown);
    for (const paragraph of article.paragraphs.slice(0, article.shown)) await expect(readerPage.getByText(paragraph)).toBeVisible();
  }
  await readerPage.waitForLoadState("networkidle");
  expect(bodies.length).toBeGreaterThan(articles.length);
  for (const article of articles) {
    const last = article.paragraphs.at(-1)!;
    for (const body of bodies) {
      // Not the paragraph, nor any of its words: each word is unique to it.
      expect(body).not.toContain(last.split(" ")[0]);
      expect(body).not.toContain(last);
    }
  }
  await reader.close();
});
