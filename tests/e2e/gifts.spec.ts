import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { payWithCard, subscribeFromPaywall } from "./support/checkout";
import { metered, subscribersOnly } from "./support/demo-content";
import { adminPage } from "./support/sign-in";
import { articleAccess, uniqueAddress } from "./support/reader";


/** Pays for Monthly on the emulated Checkout from the page that is open, and lands back on `articlePath`. */
async function payForMonthly(page: Page, articlePath: string, email: string) {
  await page.getByRole("button", { name: "Choose Monthly" }).first().click();
  await payWithCard(page, email);
  await page.waitForURL((url) => url.pathname === articlePath);
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${page.url()}: ${v.id} ${v.help}`)).toEqual([]);
}

/** A browser that has never been here opens the link. */
async function openInFreshBrowser(browser: Browser, link: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link);
  return { context, page };
}

test("a subscriber gives an article away; 25 browsers read it, the 26th gets the paywall; the recipient subscribes from the banner; the gifter revokes", async ({ browser }) => {
  test.setTimeout(180_000);
  const gifted = subscribersOnly[1]!;

  // The gifter subscribes, then gives the article in two clicks.
  const gifterContext = await browser.newContext();
  const gifter = await gifterContext.newPage();
  await gifter.goto(gifted.path);
  await subscribeFromPaywall(gifter, gifted.path, uniqueAddress("gifter"));
  expect(await articleAccess(gifter)).toBe("full");
  await expectAccessible(gifter);
  await gifter.getByLabel("Your first name, shown to the reader").fill("Maria");
  await gifter.getByRole("button", { name: "Gift this article" }).click();
  await expect(gifter.getByRole("heading", { name: "Your gift link" })).toBeVisible();
  await expect(gifter.getByText(/9 gifts left, next batch on \w+ 1, \d{4}\./)).toBeVisible();
  const link = await gifter.getByLabel("Gift link").inputValue();
  expect(link).toMatch(new RegExp(`${gifted.path}\\?gift=[A-Za-z0-9_-]{22}$`));
  await expectAccessible(gifter);
  // Shown once, so one click copies it: the page's one tiny script shows the button and copies.
  await gifterContext.grantPermissions(["clipboard-read", "clipboard-write"]);
  await gifter.getByRole("button", { name: "Copy link" }).click();
  await expect(gifter.locator("[data-copy-status]")).toHaveText("Link copied.");
  expect(await gifter.evaluate(() => navigator.clipboard.readText())).toBe(link);

  // A fresh browser reads in full, without a meter, and the token is gone from the address.
  const { context: recipientContext, page: recipient } = await openInFreshBrowser(browser, link);
  expect(new URL(recipient.url()).pathname).toBe(gifted.path);
  expect(new URL(recipient.url()).search).toBe("");
  expect(await articleAccess(recipient)).toBe("full");
  await expect(recipient.getByText(gifted.lastParagraph)).toBeVisible();
  await expect(recipient.getByText("Maria gave you this article.")).toBeVisible();
  const cookies = await recipientContext.cookies();
  expect(cookies.find((c) => c.name === "mh_meter"), "the gift spent no free article").toBeUndefined();
  expect(cookies.find((c) => c.name === "mh_gift")).toMatchObject({ path: gifted.path, httpOnly: true });
  expect(await recipient.locator("script[src]").count()).toBe(0);
  await expectAccessible(recipient);
  // Its own meter is whole: the next metered article is the first one counted.
  await recipient.goto(metered[0]!.path);
  await expect(recipient.locator(".meter-note")).toHaveAttribute("data-meter-remaining", "2");
  await recipient.goto(gifted.path);
  expect(await articleAccess(recipient)).toBe("full");

  // 24 more browsers make 25; the 26th gets the paywall and the line saying why.
  for (let i = 0; i < 24; i++) {
    const { context, page } = await openInFreshBrowser(browser, link);
    expect(await articleAccess(page), `browser ${i + 2}`).toBe("full");
    await context.close();
  }
  const { context: lateContext, page: late } = await openInFreshBrowser(browser, link);
  expect(await articleAccess(late)).toBe("preview");
  await expect(late.getByText("This gift link has been opened by as many readers as it allows.")).toBeVisible();
  await expect(late.locator("[data-paywall]")).toBeVisible();
  await expect(late.getByText(gifted.lastParagraph)).toHaveCount(0);
  await lateContext.close();

  // The recipient subscribes from the banner and comes back to the article.
  await recipient.getByRole("link", { name: "Subscribe to read everything" }).click();
  await payForMonthly(recipient, gifted.path, uniqueAddress("recipient"));
  expect(await articleAccess(recipient)).toBe("full");
  await expect(recipient.getByRole("button", { name: "Gift this article" })).toBeVisible();

  // The admin sees the gift and the subscription it brought.
  const admin = await adminPage(browser, "/admin/gifts");
  const row = admin.getByRole("table", { name: "Gifts by article" }).locator(`tr[data-gift-row="${gifted.title}"]`);
  await expect(row.getByTestId("gift-subscriptions")).toHaveText("1");
  await expect(row.locator("td").nth(2)).toHaveText("25");
  await expect(admin.getByRole("table", { name: "Flagged links" })).toContainText("1 browser over the limit");
  await admin.context().close();

  // The gifter revokes; the next open gets the paywall.
  await gifter.goto("/account/gifts");
  await expectAccessible(gifter);
  await gifter.getByRole("button", { name: `Revoke the gift of ${gifted.title}` }).click();
  await expect(gifter.getByText("The link is revoked")).toBeVisible();
  const { context: afterContext, page: after } = await openInFreshBrowser(browser, link);
  expect(await articleAccess(after)).toBe("preview");
  await expect(after.getByText("Maria gave you this article.")).toHaveCount(0);
  await afterContext.close();
  await recipientContext.close();
  await gifterContext.close();
});

test("an anonymous reader sees no gift form, and a forged gift cookie or a bad token changes nothing", async ({ page, context }) => {
  const locked = subscribersOnly[0]!;
  await page.goto(`${locked.path}?gift=not-a-token`);
  expect(await articleAccess(page)).toBe("preview");
  await expect(page.getByRole("button", { name: "Gift this article" })).toHaveCount(0);
  await context.addCookies([{ name: "mh_gift", value: "WzEsMSwiQUFBQUFBQUFBQUFBQUFBQUFBQUFBQSJd.Zm9yZ2Vk", url: `http://127.0.0.1${locked.path}` }]);
  const response = await page.goto(locked.path);
  expect(response?.status()).toBe(200);
  expect(await articleAccess(page)).toBe("preview");
});
