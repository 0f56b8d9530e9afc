import "server-only";
import { getDb } from "@/db/client";
import { readMeterCookie } from "@/lib/access/meter-cookie";
import { sessionTokenFrom, type CookieJar } from "@/lib/http/cookies";
import { userForSessionToken } from "@/lib/auth/session-user";
import { keyFor } from "@/lib/server-secret";
import { readReaderId } from "@/lib/experiments/reader-key";
import { readerExplanation, type ReaderExplanation } from "./reader-wording";
import { encodeTraceId } from "./trace-id";
import { traceReading, type TraceReader } from "./trace-reading";
import type { ExplainedDecision } from "./explanation";

export interface ReaderWhy {
  title: string;
  path: string;
  explanation: ReaderExplanation;
  /** The experiments' variants the reader is in (named on the page: it is their own paywall). */
  variants: ExplainedDecision["variants"];
  /** For support: pasted into the admin trace, it replays this reader's decision. */
  traceId: string;
}

/**
 * "Why am I seeing this?" for the reader making the request, from their own verified
 * credentials only (a database session, or the signed meter cookie), about one published
 * article: decided as the gate would for a read, and nothing spent. `address`: the client's
 * (lib/http/client-address.ts), for an organisation's IP-range licence. Null for an unknown article.
 */
export async function whyForReader(cookies: CookieJar, slug: string, now = new Date(), address: string | null = null): Promise<ReaderWhy | null> {
  const token = sessionTokenFrom(cookies);
  const user = token ? await userForSessionToken(token, now) : null;
  const who: TraceReader = user ? { kind: "user", userId: user.id, address } : { kind: "anonymous", meter: readMeterCookie(cookies), readerId: readReaderId(cookies), address };
  const trace = await traceReading(await getDb(), who, slug, "read", now);
  if (!trace || !trace.article.published) return null;
  const path = `/articles/${trace.article.slug}`;
  const { policy } = trace.settings;
  const issuedAt = Math.floor(now.getTime() / 1000);
  const traceId = encodeTraceId(
    who.kind === "user"
      ? { kind: "user", userId: who.userId, articleId: trace.article.id, issuedAt }
      : { kind: "anonymous", meter: who.meter, readerId: who.readerId, articleId: trace.article.id, issuedAt },
    keyFor("trace"),
  );
  const registerFor = who.kind === "anonymous" ? Math.max(0, policy.registeredLimit - policy.anonymousLimit) : 0;
  return { title: trace.article.title, path, explanation: readerExplanation(trace.explained, path, registerFor), traceId, variants: trace.explained.variants };
}
