import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { MAX_METER_IDS, type MeterState } from "@/lib/access/meter";

/**
 * A trace id: what support needs to replay one reader's decision, signed so it cannot be made
 * up. For an anonymous reader it carries their verified meter (they have no account to look
 * up); for a signed-in reader, their user id. Optionally the article they were reading.
 * Signed (not encrypted): it holds nothing about anyone but its own reader.
 */
export type TraceSubject =
  // `readerId`: the browser's signed reader id, which places it in experiments' variants.
  | { kind: "anonymous"; meter: MeterState | null; articleId: number | null; issuedAt: number; readerId?: string | null }
  | { kind: "user"; userId: string; articleId: number | null; issuedAt: number };

const payloadSchema = z.union([
  z.tuple([z.literal("a"), z.number().int().nonnegative(), z.number().int().nonnegative(), z.array(z.number().int().positive()).max(MAX_METER_IDS), z.number().int().nonnegative()]),
  z.tuple([z.literal("a"), z.number().int().nonnegative(), z.number().int().nonnegative(), z.array(z.number().int().positive()).max(MAX_METER_IDS), z.number().int().nonnegative(), z.string().regex(/^[A-Za-z0-9_-]{22}$/)]),
  z.tuple([z.literal("u"), z.number().int().nonnegative(), z.number().int().nonnegative(), z.string().min(1).max(64)]),
]);

// 128 bits of HMAC-SHA256 keep the id short enough to read out over the phone, and unforgeable.
const MAC_BYTES = 16;
const mac = (body: string, key: Buffer) => createHmac("sha256", key).update(body).digest().subarray(0, MAC_BYTES);

export function encodeTraceId(subject: TraceSubject, key: Buffer): string {
  const payload =
    subject.kind === "anonymous"
      ? [
          "a",
          subject.issuedAt,
          subject.articleId ?? 0,
          subject.meter?.articleIds.slice(-MAX_METER_IDS) ?? [],
          subject.meter?.windowStart ?? 0,
          ...(subject.readerId ? [subject.readerId] : []),
        ]
      : ["u", subject.issuedAt, subject.articleId ?? 0, subject.userId];
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${mac(body, key).toString("base64url")}`;
}

/** The subject of a trace id signed with `key`, or null for anything else (typed, tampered, foreign). */
export function decodeTraceId(value: string, key: Buffer): TraceSubject | null {
  const trimmed = value.trim();
  if (trimmed.length > 1024) return null;
  const [body, signature, extra] = trimmed.split(".");
  if (!body || !signature || extra !== undefined) return null;
  // As text: decoding would also accept other spellings of the same bytes (see lib/crypto/signed-value.ts).
  const given = Buffer.from(signature, "utf8");
  const expected = Buffer.from(mac(body, key).toString("base64url"), "utf8");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success) return null;
    const p = parsed.data;
    if (p[0] === "u") return { kind: "user", issuedAt: p[1], articleId: p[2] || null, userId: p[3] };
    const meter = p[4] === 0 && p[3].length === 0 ? null : { windowStart: p[4], articleIds: [...new Set(p[3])] };
    return { kind: "anonymous", issuedAt: p[1], articleId: p[2] || null, meter, ...(p.length === 6 ? { readerId: p[5] } : {}) };
  } catch {
    return null;
  }
}
