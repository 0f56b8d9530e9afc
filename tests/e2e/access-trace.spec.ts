import { expect, test } from "@playwright/test";
import { metered, subscribersOnly } from "./support/demo-content";
import { ADMIN_EMAIL } from "./support/env";
import { adminPage } from "./support/sign-in";

test("a reader over the meter asks why, and support replays the same decision from the trace id", async ({ page, browser }) => {
  for (const article of metered.slice(0, 3)) {
    await page.goto(article.path);
    await expect(page.locator("article[data-access]")).toHaveAttribute("data-access", "full");
  }
  const over = metered[3]!;
  await page.goto(over.path);
  await page.locator("[data-paywall]").getByRole("link", { name: "Why am I seeing this?" }).click();
  await expect(page.getByRole("heading", { name: "Why am I seeing this?" })).toBeVisible();
  // The server's clock is today's: a date in another year carries its year (the wording's own
  // rules are tested on fixed clocks in tests/unit/trace/access-trace.test.ts).
  await expect(page.getByTestId("why-summary")).toHaveText(/^You have read 3 of your 3 free articles since \d{1,2} [A-Z][a-z]+( \d{4})?; your free articles renew on \d{1,2} [A-Z][a-z]+( \d{4})?\.$/);
  await expect(page.getByRole("link", { name: over.title })).toHaveAttribute("href", over.path);
  await expect(page.getByRole("link", { name: /Register for free to read \d+ more/ })).toBeVisible();
  const traceId = (await page.getByTestId("trace-id").textContent())!.trim();

  // Asking changed nothing: the article is still a preview, and the meter still says 0 left.
  await page.goto(over.path);
  await expect(page.locator("article[data-access]")).toHaveAttribute("data-access", "preview");

  const admin = await adminPage(browser, `/admin/trace?reader=${encodeURIComponent(traceId)}`);
  await expect(admin.getByTestId("trace-reason")).toContainText("meter-exhausted");
  await expect(admin.getByTestId("trace-reason")).toContainText("3 of 3 metered articles used");
  await expect(admin.getByText("anonymous reader from a trace id")).toBeVisible();
  await expect(admin.getByRole("row", { name: /No metered articles are left in this window\s+fired/ })).toBeVisible();
  await admin.context().close();
});

test("a subscriber-only story explains itself, and the explanation page carries no locked text", async ({ page }) => {
  const locked = subscribersOnly[0]!;
  await page.goto(locked.path);
  await page.locator("[data-paywall]").getByRole("link", { name: "Why am I seeing this?" }).click();
  await expect(page.getByTestId("why-summary")).toHaveText("This story is for subscribers: free articles do not cover it.");
  expect(await page.content()).not.toContain(locked.lastParagraph);
});

test("the admin's trace page and leak audit page answer admins, and the reader page links to the trace", async ({ browser }) => {
  const admin = await adminPage(browser, `/admin/subscribers?q=${encodeURIComponent(ADMIN_EMAIL)}`);
  await admin.getByRole("link", { name: ADMIN_EMAIL }).click();
  await admin.getByRole("link", { name: "Trace this reader's access to an article" }).click();
  await expect(admin.getByLabel(/Reader: email/)).toHaveValue(ADMIN_EMAIL);
  await admin.getByLabel(/Article/).fill(subscribersOnly[0]!.path.split("/").pop()!);
  await admin.getByRole("button", { name: "Trace" }).click();
  await expect(admin.getByTestId("trace-reason")).toContainText("subscribers-only");
  await expect(admin.getByText(`${ADMIN_EMAIL} (signed in)`)).toBeVisible();
  await admin.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Leak audit" }).click();
  await expect(admin.getByRole("heading", { name: "Leak audit" })).toBeVisible();
  await admin.context().close();
});
