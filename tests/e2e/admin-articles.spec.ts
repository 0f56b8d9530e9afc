import { expect, test } from "@playwright/test";
import { metered } from "./support/demo-content";
import { ADMIN_EMAIL } from "./support/env";
import { signIn } from "./support/sign-in";
import { articleAccess } from "./support/reader";

const stamp = `${Date.now().toString(36)}`;
const headline = `Night ferry returns to Port Calder ${stamp}`;
const slug = `night-ferry-returns-to-port-calder-${stamp}`;
const FIRST = "The night ferry sailed again on Tuesday, its first crossing in three winters.";
const LAST = "The harbour master said the timetable would be reviewed in the spring.";
const markdown = [
  FIRST,
  "Passengers queued along the quay well before the gates opened at ten.",
  "## A crossing in the dark",
  "> We missed the lights on the water more than anything.",
  "Crew members said the refitted engines were quieter than they remembered.",
  LAST,
].join("\n\n");

test("an admin writes and publishes an article in Markdown; it is on the front page, behind the meter; unpublishing removes it", async ({ page, browser }) => {
  await signIn(page, ADMIN_EMAIL, "/admin/articles/new");
  await expect(page.getByRole("heading", { name: "New article" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" })).toBeVisible();

  // A bad form: nothing saved, the error next to the field.
  await page.getByRole("radio", { name: "Publish now" }).check();
  await page.getByRole("button", { name: "Publish now" }).click();
  await expect(page.getByText("A headline is required")).toBeVisible();
  await expect(page.getByText("An article needs at least one paragraph")).toBeVisible();

  await page.getByLabel("Headline").fill(headline);
  await expect(page.getByLabel("Slug")).toHaveAttribute("placeholder", slug);
  await page.getByLabel("Standfirst").fill("Three winters after the last crossing, the lights are back on the water.");
  await page.getByLabel("Byline").fill("By Ledger staff");
  await page.getByLabel("Picture").selectOption("/images/demo/harbour-bridge.svg");
  await page.getByLabel("Alt text").fill("The harbour bridge at dusk");
  await page.getByLabel("Body (Markdown)").fill(markdown);
  await page.getByLabel("Who may read it").selectOption("metered");

  // The live preview converts as the server will, and shows where the lead-in ends (site default: 2).
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: headline })).toBeVisible();
  await expect(preview.getByRole("heading", { name: "A crossing in the dark", level: 2 })).toBeVisible();
  await expect(preview.locator("blockquote")).toHaveText("We missed the lights on the water more than anything.");
  await expect(preview.getByRole("note")).toBeVisible();
  await page.getByLabel("Lead-in length (paragraphs everyone may read)").fill("1");
  await expect(preview.locator(".admin-preview__body > *").nth(1)).toHaveClass(/admin-preview__cut/);
  await page.getByLabel("Lead-in length (paragraphs everyone may read)").fill("");

  await page.getByRole("button", { name: "Publish now" }).click();
  await page.waitForURL(/\/admin\/articles\/\d+\?saved=created$/);
  await expect(page.getByText("Article created.")).toBeVisible();
  const editUrl = page.url();

  // On the front page, and in the admin list.
  await page.goto("/");
  await expect(page.getByRole("link", { name: headline })).toBeVisible();
  await page.goto(`/admin/articles?q=${stamp}&status=published`);
  await expect(page.getByRole("link", { name: headline })).toBeVisible();

  // Metered: a fresh reader who has read 3 other metered articles meets the paywall on it.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  for (const article of metered.slice(0, 3)) {
    await readerPage.goto(article.path);
    expect(await articleAccess(readerPage)).toBe("full");
  }
  const response = await readerPage.goto(`/articles/${slug}`);
  expect(response?.status()).toBe(200);
  expect(await articleAccess(readerPage)).toBe("preview");
  await expect(readerPage.getByRole("heading", { name: headline })).toBeVisible();
  await expect(readerPage.getByText(FIRST)).toBeVisible();
  await expect(readerPage.locator("[data-paywall]")).toBeVisible();
  expect(await response!.text()).not.toContain(LAST);

  // The audit log has the change.
  await page.goto("/admin/audit");
  await expect(page.getByRole("cell", { name: "article.create" }).first()).toBeVisible();

  // Unpublish: off the front page, and the article is gone.
  await page.goto(editUrl);
  await page.getByRole("button", { name: "Unpublish" }).click();
  await page.waitForURL(/\?saved=unpublished$/);
  await expect(page.getByText("Unpublished: the article is a draft again")).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("link", { name: headline })).toHaveCount(0);
  expect((await readerPage.goto(`/articles/${slug}`))?.status()).toBe(404);
  await reader.close();
});

test("a non-admin, signed in or not, gets 404 on the admin pages", async ({ page }) => {
  for (const path of ["/admin/articles", "/admin/settings", "/admin/articles/new", "/admin/audit"]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
  await signIn(page, `reader-${Date.now()}@readers.test`, "/");
  for (const path of ["/admin/articles", "/admin/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Articles" })).toHaveCount(0);
  }
});

test("locked text pasted into the standfirst: publishing is refused with the field and the sentence, and goes ahead only when the admin confirms", async ({ page }) => {
  const mark = `${stamp}x`;
  // A locked sentence of this article alone: once confirmed public here, it must be no other article's locked text.
  const repeated = `The buyer of pier ${mark} said the ferries would keep running until the autumn.`;
  const body = markdown.replace(LAST, repeated);
  await signIn(page, ADMIN_EMAIL, "/admin/articles/new");
  await page.getByLabel("Headline").fill(`Ferry pier sold ${mark}`);
  await page.getByLabel("Standfirst").fill(`The sale. ${repeated}`);
  await page.getByLabel("Body (Markdown)").fill(body);
  await page.getByLabel("Who may read it").selectOption("subscribers");
  await page.getByRole("radio", { name: "Publish now" }).check();
  await page.getByRole("button", { name: "Publish now" }).click();

  const warning = page.locator("[data-repeat-warning]");
  await expect(warning).toContainText(`The standfirst repeats a sentence of the locked part: “${repeated}”`);
  await expect(page.locator("#dek-error")).toHaveText("Repeats a sentence of the locked part, which every stranger would then read.");
  // What was typed is kept.
  await expect(page.getByLabel("Standfirst")).toHaveValue(`The sale. ${repeated}`);

  await warning.getByLabel(/The repetition is intended/).check();
  await page.getByRole("button", { name: "Publish now" }).click();
  await page.waitForURL(/\/admin\/articles\/\d+\?saved=created$/);
  await page.goto("/admin/audit");
  await expect(page.getByRole("cell", { name: "article.repeat-confirmed" }).first()).toBeVisible();
});
