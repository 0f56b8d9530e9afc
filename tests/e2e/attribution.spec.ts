import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { adminPage, signIn } from "./support/sign-in";

const unique = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;

test("a subscription and a registration are credited to the article and the source the readers arrived by; the report, its filter and its CSV say so", async ({ browser }) => {
  const article = subscribersOnly[0]!;
  const socialCampaign = unique("launch");
  const letterCampaign = unique("monday");

  // Arrives from a social post with the publisher's tags, subscribes from the paywall card.
  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  await buyer.goto(`${article.path}?utm_source=bsky&utm_medium=social&utm_campaign=${socialCampaign}`, { referer: "https://bsky.app/profile/someone" });
  await subscribeFromPaywall(buyer, article.path, `${unique("buyer")}@readers.test`);
  expect(await buyer.locator("article[data-access]").getAttribute("data-access")).toBe("full");
  await buyerContext.close();

  // Arrives from the newsletter, registers with an email link.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await reader.goto(`${article.path}?utm_source=newsletter&utm_medium=email&utm_campaign=${letterCampaign}`);
  await signIn(reader, `${unique("registers")}@readers.test`, article.path);
  await readerContext.close();

  const admin = await adminPage(browser, "/admin/attribution?days=7");
  const bySource = admin.getByTestId("attribution-by-source");
  const socialRow = bySource.locator("tr", { hasText: socialCampaign });
  await expect(socialRow).toContainText("Social");
  await expect(socialRow).toContainText("bsky.app");
  await expect(socialRow.locator("[data-subscriptions]")).toHaveText("1");
  const letterRow = bySource.locator("tr", { hasText: letterCampaign });
  await expect(letterRow).toContainText("Newsletter");
  // Registrations is the fourth column.
  await expect(letterRow.locator("td").nth(2)).toHaveText("1");
  const top = admin.getByTestId("attribution-by-subscriptions").locator(`tr[data-article="${article.path.replace("/articles/", "")}"]`);
  await expect(top).toContainText(article.title);
  expect(Number(await top.locator("[data-subscriptions]").textContent())).toBeGreaterThanOrEqual(1);
  await expect(admin.getByTestId("attribution-chart")).toContainText("Social");
  const { violations } = await new AxeBuilder({ page: admin }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // The source filter narrows the report; the CSV lists both of the buyer's conversions.
  await admin.getByLabel("Source", { exact: true }).selectOption("newsletter");
  await admin.getByRole("button", { name: "Show" }).click();
  await expect(admin.getByTestId("attribution-by-source").locator("tr", { hasText: socialCampaign })).toHaveCount(0);
  await expect(admin.getByTestId("attribution-by-source").locator("tr", { hasText: letterCampaign })).toHaveCount(1);
  const csv = await (await admin.request.get("/admin/attribution/export?days=7&source=social")).text();
  const lines = csv.split("\r\n").filter((l) => l.includes(socialCampaign));
  expect(lines.map((l) => l.split(",")[1]).sort()).toEqual(["checkout_started", "subscribed"]);

  // Bad filter values: field errors, and the report still answers with the defaults.
  await admin.goto("/admin/attribution?days=12&source=tv");
  await expect(admin.locator("#days-error")).toHaveText("Choose a period of 7, 30, 90 or 365 days.");
  await expect(admin.locator("#source-error")).toHaveText("Choose a source from the list.");
  await expect(admin.getByLabel("Period", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(admin.locator("p[role=alert]")).toContainText("The report below ignores what could not be read");
  await expect(admin.getByRole("heading", { name: "Top articles by subscriptions" })).toBeVisible();
  expect((await admin.request.get("/admin/attribution/export?days=12")).status()).toBe(400);
  await admin.context().close();
});
