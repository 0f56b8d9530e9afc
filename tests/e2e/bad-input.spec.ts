import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "./support/env";

// Bad input found by the fuzz suite (npm run test:fuzz): each got a 500 from the framework before
// it was answered earlier. Against the production build, as a client that is not a browser sends it.
const origin = `http://127.0.0.1:${E2E_PORT}`;

/** A server action id of this build, by its exported name. */
function actionId(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { exportedName?: string }> };
  return Object.entries(manifest.node).find(([, action]) => action.exportedName === name)![0];
}

test("Auth.js: an invalid callbackUrl gets 400, an unknown action or provider 404, a HEAD 405", async ({ request }) => {
  expect((await request.get("/api/auth/session?callbackUrl=aaaa")).status()).toBe(400);
  expect((await request.get("/api/auth/signin?callbackUrl=javascript:alert(1)", { maxRedirects: 0 })).status()).toBe(400);
  expect((await request.get("/api/auth/session", { headers: { cookie: "authjs.callback-url=aaaa" } })).status()).toBe(400);
  expect((await request.post("/api/auth/session", { headers: { "content-type": "application/json" }, data: '{"callbackUrl":5}' })).status()).toBe(400);
  expect((await request.get("/api/auth/error?error=%ff", { maxRedirects: 0 })).status()).toBe(400);
  expect((await request.post("/api/auth/providers")).status()).toBe(404);
  expect((await request.get("/api/auth/signin/bogus", { maxRedirects: 0 })).status()).toBe(404);
  expect((await request.get("/api/auth/webauthn-options", { maxRedirects: 0 })).status()).toBe(404);
  expect((await request.head("/api/auth/session")).status()).toBe(405);
  // An email callback without its link's token and address (Auth.js throws "Missing token").
  expect((await request.post("/api/auth/callback/nodemailer")).status()).toBe(400);
  expect((await request.post("/api/auth/callback/nodemailer?token=short&email=a%40b.test")).status()).toBe(400);
  // What Auth.js serves still works.
  expect(await (await request.get("/api/auth/session")).json()).toBeNull();
  expect((await request.get("/api/auth/signin?callbackUrl=/account", { maxRedirects: 0 })).status()).toBe(302);
});

test("a POST to a page that is not a well-formed server action gets 400 or 403 before Next parses it", async ({ request }) => {
  for (const path of ["/", "/subscribe", "/signin/error", "/signin/confirm", "/no-such-page"]) {
    expect((await request.post(path, { headers: { "content-type": "multipart/form-data" }, data: "hello" })).status(), path).toBe(400);
    expect((await request.post(path, { headers: { "content-type": "multipart/form-data; boundary=x" }, data: Buffer.alloc(1024 * 1024) })).status(), path).toBe(400);
  }
  const signIn = actionId("requestSignInLink");
  const post = (data: string, headers: Record<string, string> = {}) => request.post("/signin", { headers: { "next-action": signIn, "content-type": "text/plain;charset=UTF-8", ...headers }, data });
  expect((await post("hello")).status()).toBe(400);
  expect((await post('["$@1"]')).status()).toBe(400);
  expect((await post('{"a":"$1"}')).status()).toBe(400);
  expect((await post("[]", { origin: "junk" })).status()).toBe(400);
  expect((await post("[]", { origin: "http://evil.example" })).status()).toBe(403);
  expect((await request.post("/signin", { headers: { "next-action": signIn, "content-type": "multipart/form-data; boundary=x" }, data: "--x\r\nbroken" })).status()).toBe(400);
  // An unknown id is Next's to answer on a page, also before it reads the body; the string-rendered
  // pages (the front page among them) are route handlers with no POST, so they answer 405.
  expect((await request.post("/", { headers: { "next-action": "7f".padEnd(42, "0"), "content-type": "text/plain" }, data: "[]" })).status()).toBe(405);
  const unknown = await request.post("/signin", { headers: { "next-action": "7f".padEnd(42, "0"), "content-type": "text/plain" }, data: "[]" });
  expect([404, 409]).toContain(unknown.status());
  // A router request posted to a prerendered page, and a path Next cannot decode.
  expect((await request.post("/no-such-page", { headers: { rsc: "1", "content-type": "application/x-www-form-urlencoded" }, data: "" })).status()).toBe(400);
  expect((await request.get("/admin/subscribers/%ff")).status()).toBe(400);
  expect((await request.get("/api/auth/%C0%AF")).status()).toBe(400);
  // A well-formed call still reaches the action: an empty form gets the action's own field error.
  const empty = await post('[{},"$K1"]', { origin, accept: "text/x-component" });
  expect(empty.status()).toBe(200);
  expect(await empty.text()).toContain("Enter a valid email address");
});
