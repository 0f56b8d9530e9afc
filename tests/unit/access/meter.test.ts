import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { currentWindow, decodeMeter, encodeMeter, MAX_METER_IDS } from "@/lib/access/meter";

const key = randomBytes(32);
const otherKey = randomBytes(32);
const state = { windowStart: 1_790_000_000, articleIds: [3, 17, 42] };

describe("meter cookie codec", () => {
  it("round-trips a signed state", () => {
    expect(decodeMeter(encodeMeter(state, key), key)).toEqual(state);
  });

  it("rejects a cookie signed under another secret", () => {
    expect(decodeMeter(encodeMeter(state, otherKey), key)).toBeNull();
  });

  it("rejects any tampering with payload or signature", () => {
    const value = encodeMeter(state, key);
    const [body, sig] = value.split(".") as [string, string];
    const forged = Buffer.from(JSON.stringify([state.windowStart, []])).toString("base64url");
    expect(decodeMeter(`${forged}.${sig}`, key)).toBeNull();
    expect(decodeMeter(`${body}.${sig.slice(0, -2)}xx`, key)).toBeNull();
    expect(decodeMeter(`${body}.`, key)).toBeNull();
    expect(decodeMeter(`${body}`, key)).toBeNull();
    expect(decodeMeter(`${body}.${sig}.${sig}`, key)).toBeNull();
  });

  it("ignores malformed values without throwing", () => {
    for (const junk of ["", ".", "%%%", "a.b", "eyJ9.zzz", "x".repeat(5000), "\u0000.\u0000"]) {
      expect(decodeMeter(junk, key)).toBeNull();
    }
    expect(decodeMeter(undefined, key)).toBeNull();
  });

  it("rejects a validly signed payload of the wrong shape", async () => {
    const { sign } = await import("@/lib/crypto/signed-value");
    expect(decodeMeter(sign(JSON.stringify({ windowStart: 1, articleIds: [] }), key), key)).toBeNull();
    expect(decodeMeter(sign(JSON.stringify([1, [-1]]), key), key)).toBeNull();
    expect(decodeMeter(sign("not json", key), key)).toBeNull();
  });

  it("stays small: at most MAX_METER_IDS ids and well under 4 KB", () => {
    const many = { windowStart: 1_790_000_000, articleIds: Array.from({ length: 500 }, (_, i) => 1_000_000 + i) };
    const value = encodeMeter(many, key);
    expect(value.length).toBeLessThan(2048);
    expect(decodeMeter(value, key)?.articleIds).toHaveLength(MAX_METER_IDS);
  });

  it("rolls over to a fresh window when the old one ends", () => {
    const start = 1_790_000_000;
    const inWindow = new Date((start + 29 * 86_400) * 1000);
    const after = new Date((start + 30 * 86_400) * 1000);
    expect(currentWindow({ windowStart: start, articleIds: [1] }, inWindow, 30).articleIds).toEqual([1]);
    expect(currentWindow({ windowStart: start, articleIds: [1] }, after, 30)).toEqual({
      windowStart: start + 30 * 86_400,
      articleIds: [],
    });
  });
});
