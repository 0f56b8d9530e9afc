import { describe, expect, it } from "vitest";
import { decodeTraceId, encodeTraceId } from "@/lib/trace/trace-id";

const key = Buffer.alloc(32, 7);
const other = Buffer.alloc(32, 8);

describe("trace ids", () => {
  it("carry an anonymous reader's meter, or a user id, and the article", () => {
    const anonymous = { kind: "anonymous" as const, meter: { windowStart: 1_790_000_000, articleIds: [4, 9, 2] }, articleId: 9, issuedAt: 1_790_100_000 };
    expect(decodeTraceId(encodeTraceId(anonymous, key), key)).toEqual(anonymous);
    const user = { kind: "user" as const, userId: "6f1c0a52-6f0e-4d6b-9a57-1b8c8a9d2e11", articleId: null, issuedAt: 1_790_100_000 };
    expect(decodeTraceId(encodeTraceId(user, key), key)).toEqual(user);
    const none = { kind: "anonymous" as const, meter: null, articleId: 3, issuedAt: 1 };
    expect(decodeTraceId(encodeTraceId(none, key), key)).toEqual(none);
    // The browser's reader id (its experiment variants) rides along when it has one.
    const withId = { ...anonymous, readerId: "AbCdEfGhIjKlMnOpQrStUv" };
    expect(decodeTraceId(encodeTraceId(withId, key), key)).toEqual(withId);
  });

  it("stay short enough to paste: about 100 characters for a user", () => {
    expect(encodeTraceId({ kind: "user", userId: "6f1c0a52-6f0e-4d6b-9a57-1b8c8a9d2e11", articleId: 12, issuedAt: 1_790_100_000 }, key).length).toBeLessThanOrEqual(110);
  });

  it("refuse anything not signed by this key: tampered, foreign, typed, or malformed", () => {
    const id = encodeTraceId({ kind: "user", userId: "victim", articleId: null, issuedAt: 1 }, key);
    const [body, mac] = id.split(".");
    const forged = Buffer.from(JSON.stringify(["u", 1, 0, "someone-else"])).toString("base64url");
    expect(decodeTraceId(`${forged}.${mac}`, key)).toBeNull();
    expect(decodeTraceId(id, other)).toBeNull();
    expect(decodeTraceId(`${body}.${mac}x`, key)).toBeNull();
    for (const junk of ["", "anonymous", "a.b.c", `${body}.`, ".x", "x".repeat(2000)]) expect(decodeTraceId(junk, key)).toBeNull();
  });

  it("surround spaces from a paste are ignored", () => {
    const id = encodeTraceId({ kind: "user", userId: "u", articleId: 1, issuedAt: 1 }, key);
    expect(decodeTraceId(`  ${id}\n`, key)).toMatchObject({ userId: "u" });
  });
});
