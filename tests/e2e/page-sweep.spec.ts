import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { metered, subscribersOnly } from "./support/demo-content";
import { ADMIN_EMAIL } from "./support/env";
import { adminPage } from "./support/sign-in";

const slug = (path: string) => path.split("/").at(-1)!;

/**
 * Every reader and admin page, as the server runs in test mode (its banner included): axe finds
 * nothing at 1280 px, and at 390 px nothing is wider than the screen.
 */
async function sweep(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(500);
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `axe on ${path}`,
  ).toEqual([]);
  await page.setViewportSize({ width: 390, height: 844 });
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // What sticks out, to name in the failure.
    widest: Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(-3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`),
  }));
  expect(scrollWidth, `width of ${path} at 390 px; sticking out: ${widest.join(", ")}`).toBeLessThanOrEqual(innerWidth);
}

test("every reader page passes axe and fits a 390 px screen", async ({ page }) => {
  for (const path of [
    "/",
    "/subscribe",
    "/gift",
    "/offer/NO-SUCH-OFFER",
    metered[0]!.path,
    subscribersOnly[0]!.path,
    `/why?article=${slug(subscribersOnly[0]!.path)}`,
    "/signin",
    "/privacy",
    "/signin/check-email",
    "/newsletters/check-email",
    "/no-such-page",
  ])
    await sweep(page, path);
});

test("every admin page, and a signed-in reader's account pages, pass axe and fit a 390 px screen", async ({ browser }) => {
  // Some thirty pages, each loaded and scanned by axe: near the default minute on a busy machine.
  test.setTimeout(180_000);
  const page = await adminPage(browser, "/admin");
  for (const path of [
    "/account",
    "/account/gifts",
    "/account/delete",
    "/account/family",
    "/gift",
    "/admin",
    "/admin/attribution",
    "/admin/articles",
    "/admin/articles/new",
    "/admin/articles/import",
    "/admin/audit",
    "/admin/gifts",
    "/admin/gift-subscriptions",
    "/admin/leak-audit",
    "/admin/newsletters",
    "/admin/offers",
    "/admin/plans",
    "/admin/settings",
    "/admin/subscribers",
    "/admin/trace",
    "/admin/webhooks",
  ])
    await sweep(page, path);

  await page.goto("/admin/articles");
  const article = await page.locator("main a[href^='/admin/articles/']:not([href$='/new']):not([href$='/import'])").first().getAttribute("href");
  await page.goto("/admin/newsletters");
  const newsletter = await page.locator("main a[href^='/admin/newsletters/']:not([href*='issues'])").first().getAttribute("href");
  await page.goto(`/admin/subscribers?q=${encodeURIComponent(ADMIN_EMAIL)}`);
  const subscriber = await page.getByRole("link", { name: ADMIN_EMAIL }).getAttribute("href");
  for (const path of [article!, newsletter!, subscriber!, `/admin/trace?reader=${encodeURIComponent(ADMIN_EMAIL)}&article=${slug(metered[0]!.path)}`]) await sweep(page, path);
  await page.context().close();
});
