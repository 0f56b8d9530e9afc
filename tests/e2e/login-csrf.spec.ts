import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { requestLink } from "./support/sign-in";
import { uniqueAddress } from "./support/reader";

const SESSION_COOKIE = "authjs.session-token";

/** Another site: one page that auto-submits a form to our email callback. */
async function attackerSite(action: string): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><title>Win a prize</title>
<form method="post" action="${action.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"></form>
<script>document.forms[0].submit()</script>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // `localhost`, not 127.0.0.1: another site, not only another origin.
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

test("login CSRF: another site cannot sign a visitor into the attacker's account, and the attacker's link stays unused", async ({
  browser,
  page,
  baseURL,
}) => {
  // The attacker asks for a link to their own account, as anyone can.
  const attacker = await browser.newContext();
  const attackerPage = await attacker.newPage();
  await attackerPage.goto("/signin");
  const link = new URL(await requestLink(attackerPage, uniqueAddress("attacker")));
  const callback = new URL("/api/auth/callback/nodemailer", baseURL);
  for (const name of ["token", "email"]) callback.searchParams.set(name, link.searchParams.get(name)!);
  callback.searchParams.set("callbackUrl", "/account");

  // The victim visits the attacker's page, which posts the attacker's token to our callback.
  const site = await attackerSite(callback.toString());
  try {
    const answer = page.waitForResponse((r) => r.url().startsWith(callback.origin + callback.pathname));
    await page.goto(site.url);
    expect((await answer).status()).toBe(403);
  } finally {
    await site.close();
  }
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);

  // The refused POST did not use the link up: its owner still signs in with it.
  await attackerPage.goto(link.toString());
  await attackerPage.getByRole("button", { name: "Continue to sign in" }).click();
  await attackerPage.waitForURL((url) => url.pathname === "/");
  expect((await attacker.cookies()).map((c) => c.name)).toContain(SESSION_COOKIE);
  await attacker.close();
});

test("a client that sends neither Origin nor Sec-Fetch-Site signs in only by echoing its confirmation page's nonce", async ({ page, playwright, baseURL }) => {
  await page.goto("/signin");
  const link = await requestLink(page, uniqueAddress("old-browser"));

  // Playwright's request client sends no Origin and no Sec-Fetch-Site, like an old browser.
  const client = await playwright.request.newContext({ baseURL });
  const confirm = await client.get(link);
  const nonce = /name="nonce" value="([^"]+)"/.exec(await confirm.text())?.[1];
  expect(nonce, "the confirmation page carries a nonce").toBeTruthy();
  const action = `/api/auth/callback/nodemailer${new URL(link).search}`;

  const guessed = await client.post(action, { form: { nonce: "a-guessed-nonce-0123456789abcdef" }, maxRedirects: 0 });
  expect(guessed.status()).toBe(403);
  const echoed = await client.post(action, { form: { nonce: nonce! }, maxRedirects: 0 });
  expect(echoed.status()).toBe(302);
  expect(echoed.headers()["set-cookie"]).toContain(`${SESSION_COOKIE}=`);
  await client.dispose();
});
