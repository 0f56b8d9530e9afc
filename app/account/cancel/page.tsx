import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { getDb } from "@/db/client";
import { requireUser } from "@/lib/auth/current-user";
import { cancelScreen, NotYourSubscriptionError } from "@/lib/retention/cancel-flow";
import { CancelPanel } from "./cancel-panel";

export const metadata: Metadata = { title: "Cancel subscription", robots: { index: false } };

const query = z.object({ subscription: z.string().regex(/^sub_[A-Za-z0-9_]{1,200}$/) });

/** One screen: "Cancel" with an optional reason, and the retention offer (at most once) beside it. */
export default async function CancelPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser("/account");
  const parsed = query.safeParse(await searchParams);
  if (!parsed.success) notFound();
  const screen = await cancelScreen(await getDb(), user.id, parsed.data.subscription).catch((error: unknown) => {
    if (error instanceof NotYourSubscriptionError) notFound();
    throw error;
  });
  return (
    <section className="page">
      <h1>Cancel your subscription</h1>
      <CancelPanel screen={screen} />
      <p>
        <a href="/account">Keep my subscription as it is</a>
      </p>
    </section>
  );
}
