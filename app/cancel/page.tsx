import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { cancelScreens } from "@/lib/retention/cancel-flow";
import { withdrawalRule } from "@/lib/retention/withdrawals";
import { CancelPanel } from "../account/cancel/cancel-panel";
import { CancelRequestForm } from "./cancel-request-form";

export const metadata: Metadata = { title: "Cancel a subscription", robots: { index: false } };

/**
 * Cancelling needs no sign-in: a signed-in reader gets each subscription's one-button screen here
 * at once; anyone else gives the address and gets a one-time link by email.
 */
export default async function CancelPage() {
  const user = await getCurrentUser();
  const screens = user ? await cancelScreens(await getDb(), user.id) : [];
  return (
    <section className="page page--narrow">
      <h1>Cancel a subscription</h1>
      {screens.map((screen) => (
        <CancelPanel key={screen.sub.stripeSubscriptionId} screen={screen} title={screens.length > 1 ? `Subscription ${screen.sub.stripeSubscriptionId}` : undefined} />
      ))}
      {user && screens.length === 0 && <p data-testid="nothing-to-cancel">Your account has no subscription that renews.</p>}
      {screens.length > 0 ? (
        <h2>Another address</h2>
      ) : (
        <p>Enter the email address of the subscription. We send you a link: open it and press one button to cancel. You do not need to sign in.</p>
      )}
      {withdrawalRule() && <p data-testid="withdraw-note">Bought it in the last 14 days? The email also has a link to withdraw from the contract: the subscription ends at once and you get your money back.</p>}
      <CancelRequestForm />
    </section>
  );
}
