import "server-only";
import { billingMailSweep } from "@/lib/billing/billing-mail-sweep";
import { giftSubscriptionSweep } from "@/lib/gift-subscriptions/sweep";
import { startSweepsOncePerServer } from "@/lib/jobs/periodic-sweep";
import { privacySweep } from "@/lib/privacy/privacy-sweep";
import { retentionSweep } from "@/lib/retention/retention-sweep";

/** The work every server repeats on a timer (instrumentation.ts starts it once per server). */
export function startServerSweeps(): void {
  startSweepsOncePerServer([billingMailSweep, retentionSweep, giftSubscriptionSweep, privacySweep]);
}
