import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { E2E_PORT, STRIPE_URL } from "./support/env";
import { signIn } from "./support/sign-in";
import { uniqueAddress } from "./support/reader";

const locked = subscribersOnly[0]!;
const SITE = `http://127.0.0.1:${E2E_PORT}`;

/**
 * The reader pages ship no client script (docs/decisions/0028-reader-pages-without-client-script.md):
 * no Next chunk, no inline script, nothing fetched that is JavaScript. Returns the page's HTML.
 */
async function expectNoScript(page: Page, path: string): Promise<void> {
  const scripts: string[] = [];
  const listen = (request: { resourceType(): string; url(): string }) => void (request.resourceType() === "script" && scripts.push(request.url()));
  page.on("request", listen);
  const response = await page.goto(path);
  page.off("request", listen);
  expect(response?.status(), path).toBeLessThan(500);
  expect(await page.locator("script").count(), `script elements on ${path}`).toBe(0);
  expect(await page.locator('link[as="script"], link[rel="modulepreload"]').count(), `script preloads on ${path}`).toBe(0);
  expect(await response!.text(), path).not.toContain("/_next/");
  expect(scripts, `scripts fetched by ${path}`).toEqual([]);
}

/** A subscriber (paid through the emulator's Checkout, with script), then the same cookies in a browser without script. */
async function subscriberWithoutScript(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const withScript = await browser.newContext();
  const page = await withScript.newPage();
  await page.goto(locked.path);
  await subscribeFromPaywall(page, locked.path, uniqueAddress("noscript"));
  const storageState = await withScript.storageState();
  await withScript.close();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState });
  return { context, page: await context.newPage() };
}

test("the front page, /subscribe, offer pages and /why load no script, and Subscribe works without it", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  for (const path of ["/", "/subscribe", "/offer/NO-SUCH-OFFER", `/why?article=${locked.path.split("/").at(-1)}`, "/why?article=no-such-story"]) await expectNoScript(page, path);
  // A plan's button is a plain form post that goes on to Checkout.
  await page.goto("/subscribe");
  await page.getByRole("button", { name: "Choose Monthly" }).click();
  await page.waitForURL((url) => url.origin === STRIPE_URL);
  await context.close();
});

test("the account pages load no script, and every account form works without it", async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await subscriberWithoutScript(browser);
  for (const path of ["/account", "/account/gifts"]) await expectNoScript(page, path);

  // Newsletters: a plain post, back to the page with the choice kept and said.
  await page.goto("/account");
  const newsletters = page.getByTestId("newsletter-preferences");
  const first = newsletters.getByRole("checkbox").first();
  const wasTicked = await first.isChecked();
  await first.setChecked(!wasTicked);
  await newsletters.getByRole("button", { name: "Save my newsletters" }).click();
  await expect(page.getByRole("status")).toHaveText("Your newsletters are saved.");
  expect(await page.getByTestId("newsletter-preferences").getByRole("checkbox").first().isChecked()).toBe(!wasTicked);

  // A reason not on the list: the screen again with a field error, and nothing cancelled.
  const subscription = (await page.getByTestId("subscription").getAttribute("data-subscription"))!;
  const wrong = await page.request.post("/account/cancel", { form: { intent: "cancel", subscription, reason: "because" }, headers: { origin: SITE }, maxRedirects: 0 });
  expect(wrong.status()).toBe(400);
  expect(await wrong.text()).toContain("Choose a reason from the list");
  await page.reload();
  await expect(page.getByTestId("status")).toHaveText("Active");

  // Cancel: the screen has no script either; the reason travels in the post.
  await page.getByRole("link", { name: "Cancel subscription" }).click();
  await expectNoScript(page, page.url().replace(SITE, ""));
  await page.getByLabel(/Why are you leaving/).selectOption("unused");
  await page.getByRole("button", { name: /^Cancel (anyway|subscription)$/ }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expect(page.getByRole("status")).toContainText("Your subscription is cancelled");
  await expect(page.getByTestId("status")).toHaveText(/^Cancels on /);

  // Resume: back on.
  await page.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByRole("status")).toHaveText("Your subscription is back on.");
  await expect(page.getByTestId("status")).toHaveText("Active");

  // Sign out: to the front page, whose header offers Sign in again.
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(`${SITE}/`);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/account");
  await page.waitForURL((url) => url.pathname === "/signin");
  await context.close();
});

test("the account forms refuse another site's post, a signed-out post and bad input, changing nothing", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, uniqueAddress("forms"), "/account");
  const post = (path: string, form: Record<string, string>, origin = SITE) => page.request.post(path, { form, headers: { origin }, maxRedirects: 0 });

  expect((await post("/account/sign-out", { scope: "everywhere" }, "https://elsewhere.example")).status()).toBe(403);
  // Still signed in: the cross-site post changed nothing.
  expect(new URL((await page.goto("/account"))!.url()).pathname).toBe("/account");

  // Someone else's (or no) subscription: the screen does not exist for this reader.
  expect((await post("/account/cancel", { intent: "cancel", subscription: "sub_notmine123", reason: "because" })).status()).toBe(404);
  const notOurs = await post("/account/cancel", { intent: "keep", subscription: "sub_notmine123" });
  expect(notOurs.headers().location).toBe(`${SITE}/account?billing=invalid`);
  const badList = await post("/account/newsletters", { intent: "save", newsletter: "not-a-list" });
  expect(badList.status()).toBe(400);
  expect(await badList.text()).toContain("Those newsletters could not be saved");
  const badResume = await post("/account/resume", { subscription: "<script>" });
  expect(badResume.headers().location).toBe(`${SITE}/account?billing=invalid`);

  const anonymous = await browser.newContext();
  const signedOut = await anonymous.request.post(`${SITE}/account/sign-out`, { form: { scope: "here" }, headers: { origin: SITE }, maxRedirects: 0 });
  expect(signedOut.status()).toBe(303);
  expect(signedOut.headers().location).toBe(`${SITE}/signin?callbackUrl=%2Faccount`);
  await anonymous.close();
  await context.close();
});
