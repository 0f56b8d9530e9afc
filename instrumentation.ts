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
  // Billing mail, cancels and withdrawals, gift deliveries, privacy: each on its own timer.
  const { startServerSweeps } = await import("./lib/startup/server-sweeps");
  startServerSweeps();
  const { startTypedCodeReconciler } = await import("./lib/offers/reconcile-worker");
  startTypedCodeReconciler();
}
