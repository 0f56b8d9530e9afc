import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { free, metered, subscribersOnly } from "./support/demo-content";
import { recordResponses } from "./support/responses";
import { articleAccess } from "./support/reader";


test("the front page lists the latest articles with a badge for subscriber-only pieces", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toBeVisible();
  for (const article of [...metered.slice(0, 3), ...subscribersOnly]) {
    await expect(page.getByRole("link", { name: article.title })).toBeVisible();
  }
  await expect(page.getByText("Subscribers only").first()).toBeVisible();
});

test("an anonymous reader reads 3 metered articles, then meets the paywall; re-reading stays free", async ({ page, context }) => {
  const [a, b, c, d] = metered as [typeof metered[0], typeof metered[0], typeof metered[0], typeof metered[0]];

  // A prefetch before anything else: it must neither count nor carry the locked part.
  const prefetch = await context.request.get(a.path, { headers: { "Sec-Purpose": "prefetch" } });
  expect(await prefetch.text()).not.toContain(a.lastParagraph);
  const nextPrefetch = await context.request.get(b.path, { headers: { "Next-Router-Prefetch": "1", RSC: "1" } });
  expect(await nextPrefetch.text()).not.toContain(b.lastParagraph);

  for (const [i, article] of [a, b, c].entries()) {
    await page.goto(article.path);
    expect(await articleAccess(page)).toBe("full");
    await expect(page.getByText(article.lastParagraph)).toBeVisible();
    await expect(page.locator("[data-paywall]")).toHaveCount(0);
    await expect(page.getByText(`${2 - i} free article`)).toBeVisible();
  }

  const bodies = recordResponses(page);
  await page.goto(d.path);
  expect(await articleAccess(page)).toBe("preview");
  const card = page.locator("[data-paywall]");
  await expect(card.getByRole("heading", { name: "Subscribe for unlimited access" })).toBeVisible();
  await expect(card.getByText("Already a subscriber?")).toBeVisible();
  await expect(card.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(card.getByText("0 free articles left this month")).toBeVisible();
  await expect(card.locator(".plan__price", { hasText: /\$8\.00 \/ month/ })).toBeVisible();
  await expect(page.getByText(d.firstParagraph)).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(bodies.length).toBeGreaterThan(0);
  for (const body of bodies) expect(body).not.toContain(d.lastParagraph);

  // Already counted: still full, and costs nothing.
  await page.goto(a.path);
  expect(await articleAccess(page)).toBe("full");
  await page.goto(d.path);
  expect(await articleAccess(page)).toBe("preview");
});

test("no request shape gets the locked part of a preview", async ({ playwright, baseURL }) => {
  const locked = subscribersOnly[0]!;
  const shapes: Record<string, string>[] = [
    {},
    { RSC: "1" },
    { RSC: "1", "Next-Router-Prefetch": "1" },
    { "Next-Router-Prefetch": "1" },
    { Purpose: "prefetch" },
    { "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
    { "x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy" },
    { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" },
    { "x-nextjs-data": "1", "x-middleware-prefetch": "1" },
    { "x-forwarded-for": "66.249.66.1", "x-real-ip": "66.249.66.1" },
  ];
  const request = await playwright.request.newContext({ baseURL });
  for (const headers of shapes) {
    for (const path of [locked.path, `${locked.path}?_rsc=abc`, `${locked.path}/`]) {
      const response = await request.get(path, { headers });
      expect(response.status(), JSON.stringify({ path, headers })).toBeLessThan(500);
      expect(await response.text(), JSON.stringify({ path, headers })).not.toContain(locked.lastParagraph);
    }
  }
  // A metered article over the meter, with a forged meter cookie: no more than no cookie.
  const target = metered[1]!;
  const forged = await request.get(target.path, {
    headers: { cookie: "mh_meter=WzE3OTAwMDAwMDAsW11d.AAAA; mh_meter=garbage" },
  });
  expect(forged.status()).toBe(200);
  await request.dispose();
});

test("metadata and JSON-LD carry the headline, dek and image only", async ({ page, request }) => {
  const locked = subscribersOnly[0]!;
  const html = await (await request.get(locked.path)).text();
  const ld = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
  expect(ld).toMatchObject({
    "@type": "NewsArticle",
    headline: locked.title,
    isAccessibleForFree: false,
    hasPart: { "@type": "WebPageElement", isAccessibleForFree: false, cssSelector: ".paywalled-content" },
  });
  expect(JSON.stringify(ld)).not.toContain(locked.lastParagraph.slice(0, 40));
  await page.goto(locked.path);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", locked.title);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", /\/images\//);
  const freeHtml = await (await request.get(free[0]!.path)).text();
  expect(freeHtml).toContain('"isAccessibleForFree":true');
});

test("unknown slugs and malformed input get the 404 page, never a 500", async ({ request }) => {
  for (const path of ["/articles/no-such-story", "/articles/%E0%A4%A", "/articles/UPPER", "/nowhere", "/articles/a/b"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(await response.text()).toContain("find that page");
  }
  const withJunk = await request.get(`${metered[0]!.path}?utm_source=%%%&x[]=1`, {
    headers: { cookie: "mh_meter=%%%; other=1" },
  });
  expect(withJunk.status()).toBe(200);
});

test("health answers ok when the database answers", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("pages pass an accessibility check on a phone and a desktop", async ({ page }) => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 900 }]) {
    await page.setViewportSize(viewport);
    for (const path of ["/", subscribersOnly[0]!.path, free[0]!.path, "/articles/missing"]) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
      expect(results.violations.map((v) => `${path}: ${v.id} ${v.help}`)).toEqual([]);
    }
  }
  // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
  await page.goto(subscribersOnly[0]!.path);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
});
