import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { grants, plans, subscriptions } from "@/db/schema";
import { saveArticle } from "@/lib/content/articles";
import { createSignedInUser } from "./admin-harness";

export const LAST_LINE = "The ferry timetable for the winter is on the notice board at the port.";

/** A published article whose last block is LAST_LINE (in the locked part). */
export async function giftArticle(db: Db, slug: string, access: "free" | "metered" | "subscribers") {
  const blocks = [
    ...Array.from({ length: 6 }, (_, i) => ({ kind: "paragraph" as const, text: `Paragraph ${i + 1} of ${slug}: the harbour at dawn, the cranes still, the gulls loud over the quay.` })),
    { kind: "paragraph" as const, text: LAST_LINE },
  ];
  return saveArticle(db, { slug, title: `Story ${slug}`, access, publishedAt: new Date(Date.now() - 60_000), blocks, leadInBlocks: 1 });
}

export async function planWithAllowance(db: Db, name: string, giftAllowance: number): Promise<number> {
  const [row] = await db.insert(plans).values({ name, amount: 800, interval: "month", giftAllowance }).returning({ id: plans.id });
  return row!.id;
}

/** A signed-in reader with an active subscription on `planId`. */
export async function subscriberOn(db: Db, email: string, planId: number): Promise<{ id: string; token: string }> {
  const user = await createSignedInUser(db, email, "reader");
  const id = `sub_${randomBytes(6).toString("hex")}`;
  await db.insert(subscriptions).values({
    stripeSubscriptionId: id,
    stripeCustomerId: `cus_${id}`,
    userId: user.id,
    status: "active",
    stripePriceId: `price_${id}`,
    planId,
    currentPeriodStart: new Date(Date.now() - 86_400_000),
    currentPeriodEnd: new Date(Date.now() + 29 * 86_400_000),
    stripeCreated: new Date(Date.now() - 86_400_000),
  });
  return user;
}

export async function grantedReader(db: Db, email: string): Promise<{ id: string; token: string }> {
  const user = await createSignedInUser(db, email, "reader");
  await db.insert(grants).values({ userId: user.id, reason: "press pass" });
  return user;
}
