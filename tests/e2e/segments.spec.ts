import { expect, test } from "@playwright/test";
import { subscribersOnly } from "./support/demo-content";
import { adminPage } from "./support/sign-in";

const unique = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const DEFAULT_HEADING = "Subscribe for unlimited access";

test("a rule for search arrivals shows its own paywall heading and meter; a direct visit gets today's", async ({ browser }) => {
  const article = subscribersOnly.at(-1)!;
  const name = unique("From search");
  const heading = unique("Found us on search?");
  const admin = await adminPage(browser, "/admin/segments");

  // Bad input: field errors, nothing saved.
  await admin.locator("#new-segment-heading").fill(heading);
  await admin.getByRole("button", { name: "Add rule" }).click();
  await expect(admin.locator("#new-segment-name-error")).toHaveText("Enter a name");
  await expect(admin.locator("p[role=alert]")).toContainText("Nothing was saved");
  await expect(admin.locator(`tr[data-segment="${name}"]`)).toHaveCount(0);

  await admin.locator("#new-segment-name").fill(name);
  await admin.locator('form[aria-label="New segment rule"] input[name="referrer"][value="search"]').check();
  await admin.locator("#new-segment-anonymousLimit").fill("7");
  await admin.getByRole("button", { name: "Add rule" }).click();
  const row = admin.locator(`tr[data-segment="${name}"]`);
  await expect(row).toContainText("from search");

  try {
    const direct = await browser.newContext();
    const directPage = await direct.newPage();
    await directPage.goto(article.path);
    await expect(directPage.locator("#paywall-heading")).toHaveText(DEFAULT_HEADING);
    expect(await directPage.locator(".paywall__meter").getAttribute("data-meter-remaining")).not.toBe("7");

    const searcher = await browser.newContext();
    const searchPage = await searcher.newPage();
    await searchPage.goto(article.path, { referer: "https://www.google.com/" });
    await expect(searchPage.locator("#paywall-heading")).toHaveText(heading);
    await expect(searchPage.locator(".paywall__meter")).toHaveAttribute("data-meter-remaining", "7");
    await Promise.all([direct.close(), searcher.close()]);
  } finally {
    // Other specs read this site: the rule goes.
    await row.getByRole("button", { name: `Delete ${name}` }).click();
    await expect(row).toHaveCount(0);
    await admin.context().close();
  }
});
