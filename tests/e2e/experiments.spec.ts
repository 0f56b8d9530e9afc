import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { adminPage } from "./support/sign-in";

const unique = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const DEFAULT_HEADING = "Subscribe for unlimited access";

/** New browsers on the article until one has each heading: the split is by a hash of each browser's signed id. */
async function readersOfBothVariants(browser: Browser, path: string, variantHeading: string): Promise<Map<string, { context: BrowserContext; page: Page }>> {
  const found = new Map<string, { context: BrowserContext; page: Page }>();
  for (let i = 0; i < 30 && found.size < 2; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(path);
    const heading = (await page.locator("#paywall-heading").textContent())!.trim();
    expect([DEFAULT_HEADING, variantHeading]).toContain(heading);
    if (found.has(heading)) await context.close();
    else found.set(heading, { context, page });
  }
  return found;
}

test("two readers in two variants see two paywalls; the one who subscribes is credited to its variant and its article", async ({ browser }) => {
  const article = subscribersOnly.at(-1)!;
  const name = unique("Heading test");
  const variantHeading = unique("Read it all today");
  const admin = await adminPage(browser, "/admin/experiments");

  // Bad input: field errors, nothing saved.
  await admin.locator("#new-experiment-v1_name").fill("No changes");
  await admin.getByRole("button", { name: "Create experiment" }).click();
  await expect(admin.locator("#new-experiment-name-error")).toHaveText("Enter a name");
  await expect(admin.locator("#new-experiment-name")).toHaveAttribute("aria-invalid", "true");
  await expect(admin.locator("p[role=alert]")).toContainText("Nothing was saved");

  await admin.locator("#new-experiment-name").fill(name);
  await admin.locator("#new-experiment-v1_name").fill("Curious");
  await admin.locator("#new-experiment-v1_heading").fill(variantHeading);
  await admin.getByRole("button", { name: "Create experiment" }).click();
  const row = admin.locator(`tr[data-experiment="${name}"]`);
  await expect(row.getByTestId("state")).toHaveText("draft");
  await row.getByRole("button", { name: `Start ${name}` }).click();
  await expect(row.getByTestId("state")).toHaveText("running");

  try {
    const readers = await readersOfBothVariants(browser, article.path, variantHeading);
    expect([...readers.keys()].sort()).toEqual([DEFAULT_HEADING, variantHeading].sort());
    const curious = readers.get(variantHeading)!.page;
    // Sticky: the same browser keeps its paywall.
    await curious.reload();
    await expect(curious.locator("#paywall-heading")).toHaveText(variantHeading);
    await expect(readers.get(DEFAULT_HEADING)!.page.locator("#paywall-heading")).toHaveText(DEFAULT_HEADING);

    await subscribeFromPaywall(curious, article.path, `${unique("curious")}@readers.test`);
    expect(await curious.locator("article[data-access]").getAttribute("data-access")).toBe("full");
    for (const { context } of readers.values()) await context.close();

    await row.getByRole("link", { name: "Results" }).click();
    await admin.waitForURL(/\/admin\/experiments\/\d+$/);
    const results = admin.getByTestId("experiment-results");
    const curiousRow = results.locator('tr[data-variant="Curious"]');
    const controlRow = results.locator('tr[data-variant="Control"]');
    // The subscription settles by webhook: the page is read again until it shows.
    await expect(async () => {
      await admin.reload();
      await expect(curiousRow.getByTestId("subscriptions")).toHaveText("1", { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(curiousRow.getByTestId("checkouts")).toHaveText("1");
    await expect(controlRow.getByTestId("subscriptions")).toHaveText("0");
    expect(Number(await curiousRow.getByTestId("readers").textContent())).toBeGreaterThanOrEqual(1);
    expect(Number(await controlRow.getByTestId("readers").textContent())).toBeGreaterThanOrEqual(1);
    await expect(admin.getByTestId("too-little-data")).toBeVisible();
    const slug = article.path.replace("/articles/", "");
    await expect(admin.getByTestId("experiment-articles").locator(`tr[data-variant="Curious"][data-article="${slug}"]`).getByTestId("subscriptions")).toHaveText("1");

    // The article is credited too.
    await admin.goto("/admin/attribution?days=7");
    const top = admin.getByTestId("attribution-by-subscriptions").locator(`tr[data-article="${slug}"]`);
    expect(Number(await top.locator("[data-subscriptions]").textContent())).toBeGreaterThanOrEqual(1);
  } finally {
    // Later specs read the site's own paywall.
    await admin.goto("/admin/experiments");
    const stop = admin.locator(`tr[data-experiment="${name}"]`).getByRole("button", { name: `Stop ${name}` });
    if (await stop.count()) {
      await stop.click();
      await expect(admin.locator(`tr[data-experiment="${name}"]`).getByTestId("state")).toHaveText("stopped");
    }
  }
  await admin.context().close();
});
