import { expect, test } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { metered } from "./support/demo-content";
import { ADMIN_EMAIL, MAILBOX_DIR, REGISTERED_LIMIT } from "./support/env";
import { requestLink, signIn } from "./support/sign-in";
import { articleAccess, uniqueAddress } from "./support/reader";


test("an anonymous reader over the meter registers from the paywall, lands back in full, reads up to the registered limit, signs out", async ({ page }) => {
  const [a, b, c, d, e, f] = metered;
  for (const article of [a!, b!, c!]) {
    await page.goto(article.path);
    expect(await articleAccess(page)).toBe("full");
  }
  await page.goto(d!.path);
  expect(await articleAccess(page)).toBe("preview");
  const register = page.getByRole("link", { name: `Register for free to read ${REGISTERED_LIMIT - 3} more articles` });
  await expect(register).toBeVisible();
  await register.click();
  await expect(page.getByRole("heading", { name: "Create your free account" })).toBeVisible();

  const email = uniqueAddress("reader");
  const link = await requestLink(page, email);
  // Opening the link (as a mail scanner would) signs nobody in and uses nothing up.
  await page.goto(link);
  await expect(page.getByText(`You are signing in as ${email}`)).toBeVisible();
  await page.getByRole("button", { name: "Continue to sign in" }).click();

  // Back on the article that was open, now in full: 3 from this device + this one.
  await page.waitForURL((url) => url.pathname === d!.path);
  expect(await articleAccess(page)).toBe("full");
  await expect(page.getByText(d!.lastParagraph)).toBeVisible();

  await page.goto(e!.path);
  expect(await articleAccess(page)).toBe("full");
  await page.goto(f!.path);
  expect(await articleAccess(page)).toBe("preview");
  const card = page.locator("[data-paywall]");
  await expect(card.getByText(`You have read your ${REGISTERED_LIMIT} free articles this month.`)).toBeVisible();
  await expect(card.getByRole("link", { name: /Register for free/ })).toHaveCount(0);
  await expect(card.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  await page.goto(a!.path);
  expect(await articleAccess(page)).toBe("full");

  await page.goto("/account");
  await expect(page.getByText(email)).toBeVisible();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL("/");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);
});

test("the registered meter is kept on the server: a second device sees it", async ({ browser }) => {
  const email = uniqueAddress("devices");
  const first = await browser.newContext();
  const one = await first.newPage();
  await signIn(one, email);
  for (const article of metered.slice(0, REGISTERED_LIMIT)) {
    await one.goto(article.path);
    expect(await articleAccess(one)).toBe("full");
  }
  const second = await browser.newContext();
  const two = await second.newPage();
  await signIn(two, email);
  await two.goto(metered[REGISTERED_LIMIT]!.path);
  expect(await articleAccess(two)).toBe("preview");
  await two.goto(metered[0]!.path);
  expect(await articleAccess(two)).toBe("full");

  // Sign out of all devices: the first device is anonymous on its next request.
  await two.goto("/account");
  await two.getByRole("button", { name: "Sign out of all devices" }).click();
  await two.waitForURL(/\/signin\?signedOut=everywhere/); // the action has finished
  await one.goto("/account");
  await expect(one).toHaveURL(/\/signin/);
  await first.close();
  await second.close();
});

test("a used, forged or incomplete link gets a clear page and no session", async ({ page }) => {
  const email = uniqueAddress("once");
  await page.goto("/signin");
  const link = await requestLink(page, email);
  await page.goto(link);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL("/");
  await page.context().clearCookies();

  await page.goto(link);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await expect(page.getByRole("heading", { name: "This sign-in link no longer works" })).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin/);

  const forged = new URL(link);
  forged.searchParams.set("token", "A".repeat(64));
  await page.goto(forged.toString());
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await expect(page.getByRole("heading", { name: "This sign-in link no longer works" })).toBeVisible();

  await page.goto("/signin/confirm?token=short");
  await expect(page.getByRole("heading", { name: "This sign-in link is incomplete" })).toBeVisible();

  // The Auth.js GET callback a scanner might guess is closed: it only shows the confirmation page.
  const direct = new URL(link);
  direct.pathname = "/api/auth/callback/nodemailer";
  await page.goto(direct.toString());
  await expect(page.getByRole("button", { name: "Continue to sign in" })).toBeVisible();
});

test("sign-in answers the same for any address, validates it, limits requests and ignores foreign callbacks", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByRole("button", { name: /Email me a/ }).click();
  await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();

  const email = uniqueAddress("limited");
  for (let i = 0; i < 5; i++) {
    await page.goto("/signin?callbackUrl=https%3A%2F%2Fevil.example%2Fsteal");
    await page.getByLabel("Email address").fill(email);
    await page.getByRole("button", { name: /Email me a/ }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  }
  await page.goto("/signin");
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: /Email me a/ }).click();
  await expect(page.getByText(/Too many sign-in links were asked for/)).toBeVisible();

  const message = await waitForMessage(MAILBOX_DIR, { to: email, timeoutMs: 10_000 });
  const link = messageLinks(message).find((l) => l.includes("/signin/confirm"))!;
  expect(new URL(link).searchParams.get("callbackUrl")).toBe("/");
  await page.goto(link);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL((url) => url.origin === new URL(link).origin && url.pathname === "/");
});

test("/admin is a 404 for anonymous readers and non-admins, and opens for ADMIN_EMAILS", async ({ page }) => {
  expect((await page.goto("/admin"))!.status()).toBe(404);
  await signIn(page, uniqueAddress("plain"));
  expect((await page.goto("/admin"))!.status()).toBe(404);
  await page.context().clearCookies();
  await signIn(page, ADMIN_EMAIL);
  expect((await page.goto("/admin"))!.status()).toBe(200);
  await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
});
