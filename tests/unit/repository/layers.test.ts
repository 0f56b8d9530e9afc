import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

// The layer rules in eslint.config.mjs, run through ESLint itself on one-line files placed in
// each layer: a wrong-way import is an error, a right-way one is not.
const eslint = new ESLint({ cwd: fileURLToPath(new URL("../../..", import.meta.url)) });

async function layerErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport const x = y;\n`, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("one-way layers", () => {
  // Loading the config (Next's presets, the TypeScript parser) takes seconds on a busy machine.
  beforeAll(() => eslint.lintText("", { filePath: "lib/warm-up.ts" }), 60_000);

  it.each([
    ["db/prepare.ts", 'import { y } from "@/lib/billing/push-plans";'],
    ["db/seed/seed.ts", 'import { y } from "../../lib/content/articles";'],
    ["lib/access/reader-record.ts", 'import { y } from "@/lib/billing/plans";'],
    ["lib/access/reader-record.ts", 'import { y } from "../billing/plans";'],
    ["lib/access/resolve-reader.ts", 'import { y } from "@/lib/settings";'],
    ["lib/content/articles.ts", 'import { y } from "@/lib/access/decide-access";'],
    ["lib/content/article-cache.ts", 'import { y } from "@/lib/analytics/funnel";'],
    ["lib/billing/checkout.ts", 'import { y } from "@/lib/reading/article-response";'],
    ["lib/billing/checkout.ts", 'import { y } from "@/lib/content/articles";'],
    ["lib/auth/auth.ts", 'import { y } from "@/lib/billing/customers";'],
    ["lib/ui/site-chrome.ts", 'import { y } from "@/lib/billing/plans";'],
    ["lib/cache/invalidation.ts", 'import { y } from "@/lib/access/reader";'],
    ["lib/admin/grants.ts", 'import { y } from "@/lib/reading/reading-decision";'],
    ["lib/reading/article-response.ts", 'import { y } from "@/app/articles/[slug]/route";'],
    ["lib/new-feature/thing.ts", 'import { y } from "@/lib/reading/article-response";'],
    ["app/admin/plans/actions.ts", 'import { revalidatePath as y } from "next/cache";'],
    ["lib/content/front-page.ts", 'import { forgetOn as y } from "@/lib/cache/invalidation";'],
    // Stripe's one door is lib/billing: elsewhere no SDK value and no client.
    ["lib/offers/push-offer.ts", 'import y from "stripe";'],
    ["app/subscribe/checkout/route.ts", 'import y from "stripe";'],
    ["lib/retention/cancel-flow.ts", 'import { stripe as y } from "@/lib/billing/stripe-client";'],
    ["lib/offers/typed-codes.ts", 'import { stripe as y } from "../billing/stripe-client";'],
    ["lib/money-audit/gather.ts", 'import { stripe as y } from "@/lib/billing/stripe-client";'],
    ["app/admin/money-audit/page.tsx", 'import { stripe as y } from "@/lib/billing/stripe-client";'],
    // Billing mail is decided inside the event's transaction: no Stripe, no mail server there.
    ["lib/billing/billing-mail.ts", 'import { stripe as y } from "./stripe-client";'],
    ["lib/billing/billing-mail.ts", 'import { fetchInvoice as y } from "./pull-subscription";'],
    ["lib/billing/billing-mail.ts", 'import y from "stripe";'],
    ["lib/billing/billing-mail.ts", 'import { sendMail as y } from "@/lib/mail/transport";'],
    ["lib/billing/billing-mail.ts", 'import { sendBulkMail as y } from "../mail/transport";'],
  ])("%s may not: %s", async (file, source) => {
    expect(await layerErrors(file, source)).toHaveLength(1);
  });

  it.each([
    ["db/client.ts", 'import { y } from "@/lib/env";'],
    ["lib/reading/article-response.ts", 'import { y } from "@/lib/billing/plans";'],
    ["lib/billing/checkout.ts", 'import { y } from "@/lib/access/user-entitlement";'],
    ["lib/auth/on-signed-in.ts", 'import { y } from "@/lib/access/user-meter";'],
    ["lib/content/render/article-head.ts", 'import { y } from "../articles";'],
    ["lib/ui/site-chrome.ts", 'import { y } from "@/lib/billing/mode";'],
    ["lib/startup/seed.ts", 'import { y } from "@/lib/content/articles";'],
    ["app/admin/plans/actions.ts", 'import { refresh as y } from "next/cache";'],
    ["lib/content/articles.ts", 'import { announceChange as y } from "@/lib/cache/invalidation";'],
    ["lib/offers/push-offer.ts", 'import type y from "stripe";'],
    ["app/subscribe/checkout/route.ts", 'import type y from "stripe";'],
    ["lib/billing/offer-coupons.ts", 'import y from "stripe";'],
    ["lib/billing/push-plans.ts", 'import { stripe as y } from "./stripe-client";'],
    ["lib/billing/billing-mail.ts", 'import type y from "stripe";'],
    ["lib/billing/billing-mail.ts", 'import { mailTransport as y } from "@/lib/mail/transport";'],
  ])("%s may: %s", async (file, source) => {
    expect(await layerErrors(file, source)).toEqual([]);
  });
});
