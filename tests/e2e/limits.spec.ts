import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { subscribersOnly } from "./support/demo-content";
import { E2E_PORT, SERVER_PID_FILE } from "./support/env";

const MB = 1024 * 1024;
const origin = `http://127.0.0.1:${E2E_PORT}`;

/** The production server's resident memory, from the kernel. */
function serverRss(): number {
  const pid = Number(fs.readFileSync(SERVER_PID_FILE, "utf8"));
  return Number(/VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
}

/**
 * Streams up to `total` bytes as a chunked body (no Content-Length) until the server answers.
 * A server that answers 413 and closes may cut the upload before the client reads the answer
 * (EPIPE, ECONNRESET): that is reported as `cutOff`, with how much had been sent.
 */
function chunkedPost(path: string, total: number): Promise<{ status: number | null; sent: number; cutOff: string | null }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const request = http.request(`${origin}${path}`, { method: "POST", headers: { "stripe-signature": "t=1,v1=x" } }, (response) => {
      answered = true;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode!, sent, cutOff: null }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return;
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") return reject(error);
      answered = true;
      resolve({ status: null, sent, cutOff: error.code });
    });
    const chunk = Buffer.alloc(64 * 1024, "a");
    const write = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}

test("a 2 MB webhook body gets 413; a 256 MB one streamed without Content-Length gets 413 and the server's memory does not grow with it", async ({ request }) => {
  const declared = await request.post("/api/stripe/webhook", { headers: { "stripe-signature": "t=1,v1=x" }, data: Buffer.alloc(2 * MB, "a") });
  expect(declared.status()).toBe(413);

  const refused = (answer: { status: number | null; cutOff: string | null }) => answer.status === 413 || answer.cutOff !== null;
  expect(refused(await chunkedPost("/api/stripe/webhook", 2 * MB))).toBe(true);
  const before = serverRss();
  const streamed = await chunkedPost("/api/stripe/webhook", 256 * MB);
  const grown = serverRss() - before;
  // Refused early: the server stopped reading long before the 256 MB were sent.
  expect(refused(streamed)).toBe(true);
  expect(streamed.sent).toBeLessThan(64 * MB);
  expect(grown).toBeLessThan(8 * MB);
  console.log(`256 MB chunked webhook body: ${streamed.status ?? streamed.cutOff} after ${(streamed.sent / MB).toFixed(1)} MB sent; server RSS grew ${(grown / MB).toFixed(1)} MB`);

  // A normal-sized webhook still reaches the signature check.
  const small = await request.post("/api/stripe/webhook", { headers: { "stripe-signature": "t=1,v1=x" }, data: '{"id":"evt_1"}' });
  expect(small.status()).toBe(400);
});

test("a 100 KB form to Checkout gets 413; the 11th Checkout from one browser in an hour gets a friendly page", async ({ page }) => {
  await page.goto(subscribersOnly[0]!.path);
  const form = page.locator("[data-paywall] form").filter({ has: page.getByRole("button", { name: "Choose Monthly" }) });
  const plan = await form.locator('input[name="plan"]').inputValue();

  const oversized = await page.request.post("/subscribe/checkout", { form: { plan, return: "/", pad: "a".repeat(100 * 1024) }, maxRedirects: 0 });
  expect(oversized.status()).toBe(413);

  // The page's own request context shares the browser's cookies, so these count for this browser.
  for (let i = 1; i <= 10; i++) {
    const started = await page.request.post("/subscribe/checkout", { form: { plan, return: "/" }, maxRedirects: 0 });
    expect(started.status(), `start ${i}`).toBe(303);
  }
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/subscribe/checkout")), form.getByRole("button", { name: "Choose Monthly" }).click()]);
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  await expect(page.getByRole("heading", { level: 1, name: "Please wait a little" })).toBeVisible();
  await expect(page.getByText(/Please try again in \d+ minutes?\./)).toBeVisible();
  await expect(page.getByRole("link", { name: "see your account" })).toBeVisible();
});
