import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sign, verify, verifyJson } from "@/lib/crypto/signed-value";
import { decodeTraceId, encodeTraceId } from "@/lib/trace/trace-id";

const key = Buffer.alloc(32, 7);
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same bytes spelled differently: the last base64url character's spare low bit flipped. */
function respelled(signature: string): string {
  const last = ALPHABET.indexOf(signature.at(-1)!);
  const other = `${signature.slice(0, -1)}${ALPHABET[last ^ 1]}`;
  expect(Buffer.from(other, "base64url").equals(Buffer.from(signature, "base64url"))).toBe(true);
  return other;
}

describe("signed values accept only the exact signature they were given", () => {
  it("a signed link verifies; another spelling of the same signature bytes, or stray characters, does not", () => {
    const value = sign("unsubscribe:42", key);
    expect(verify(value, key)).toBe("unsubscribe:42");
    const [body, signature] = value.split(".") as [string, string];
    expect(verify(`${body}.${respelled(signature)}`, key)).toBeNull();
    expect(verify(`${body}.${signature}!`, key)).toBeNull();
    expect(verify(`${body}.${signature.slice(0, 20)}=${signature.slice(20)}`, key)).toBeNull();
  });

  it("the same for trace ids", () => {
    const id = encodeTraceId({ kind: "user", userId: "reader", articleId: null, issuedAt: 1 }, key);
    const [body, signature] = id.split(".") as [string, string];
    expect(decodeTraceId(id, key)).not.toBeNull();
    expect(decodeTraceId(`${body}.${respelled(signature)}`, key)).toBeNull();
  });
});

describe("signed JSON", () => {
  const shape = z.object({ userId: z.string() });

  it("is read only when signed by the key, valid JSON and of the schema's shape", () => {
    expect(verifyJson(sign(JSON.stringify({ userId: "u1" }), key), key, shape)).toEqual({ userId: "u1" });
    expect(verifyJson(sign(JSON.stringify({ userId: "u1" }), Buffer.alloc(32, 8)), key, shape)).toBeNull();
    expect(verifyJson(sign("{not json", key), key, shape)).toBeNull();
    expect(verifyJson(sign(JSON.stringify({ userId: 1 }), key), key, shape)).toBeNull();
  });
});
