// Runs once when a server instance starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: the client's address is read from this stamp (lib/http/client-address.ts).
  const { stampPeerAddresses } = await import("./lib/http/peer-stamp");
  stampPeerAddresses();
  const { startServerInstance } = await import("./lib/startup/server-start");
  await startServerInstance();
  const { startNewsletterSender } = await import("./lib/newsletters/sender-worker");
  startNewsletterSender();
  const { startServerBillingMailSweep } = await import("./lib/billing/billing-mail-sweep");
  startServerBillingMailSweep();
  const { startServerRetentionSweep } = await import("./lib/retention/retention-sweep");
  startServerRetentionSweep();
  const { startServerGiftSubscriptionSweep } = await import("./lib/gift-subscriptions/sweep");
  startServerGiftSubscriptionSweep();
  const { startServerPrivacySweep } = await import("./lib/privacy/privacy-sweep");
  startServerPrivacySweep();
  const { startTypedCodeReconciler } = await import("./lib/offers/reconcile-worker");
  startTypedCodeReconciler();
}
