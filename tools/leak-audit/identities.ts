import type { AuditArticle } from "@/lib/leak-audit/canaries";
import type { AuditContext, Identity } from "./context";

const METER_COOKIE = "mh_meter";

/**
 * Spends an identity's meter the way a reader does: opens metered articles (those in `prefer`
 * first) until the site answers with the paywall. What it read in full it may read again; every
 * other locked sentence must stay out of everything it is sent. Each read is itself inspected.
 */
export async function spendMeter(ctx: AuditContext, identity: Identity, order: AuditArticle[]): Promise<void> {
  for (const article of order) {
    const response = await ctx.probe({
      channel: "meter",
      identity,
      url: ctx.url(`/articles/${article.slug}`),
      alsoMayRead: [article.id],
    });
    const meter = response.headers.getSetCookie().find((c) => c.startsWith(`${METER_COOKIE}=`));
    if (meter) identity.cookie = meter.split(";")[0]!;
    if (response.body.includes('data-access="full"')) identity.mayRead.add(article.id);
    else if (response.body.includes("data-paywall")) return;
  }
}

/** Metered, published articles in a stable order, the ones not yet read by anyone first. */
export function meteredOrder(articles: AuditArticle[], readByOthers: Set<number>): AuditArticle[] {
  const metered = articles.filter((a) => a.published && a.access === "metered");
  return [...metered.filter((a) => !readByOthers.has(a.id)), ...metered.filter((a) => readByOthers.has(a.id))];
}

/**
 * The readers the audit reads as: a stranger whose meter is spent, a registered reader without a
 * subscription whose meter is spent (when a session is given), and a client sending no cookies.
 */
export async function prepareIdentities(ctx: AuditContext, sessionToken: string | null): Promise<void> {
  const free = ctx.articles.filter((a) => a.access === "free").map((a) => a.id);
  const stranger: Identity = { name: "stranger", cookie: null, mayRead: new Set(free) };
  const none: Identity = { name: "no-cookies", cookie: null, mayRead: new Set(free) };
  ctx.identities.push(stranger, none);
  await spendMeter(ctx, stranger, meteredOrder(ctx.articles, new Set()));
  if (!sessionToken) {
    ctx.skip("registered", "no session token: the registered reader's pass did not run");
    return;
  }
  const registered: Identity = { name: "registered", cookie: `authjs.session-token=${sessionToken}`, mayRead: new Set(free) };
  ctx.identities.push(registered);
  await spendMeter(ctx, registered, meteredOrder(ctx.articles, stranger.mayRead));
}
