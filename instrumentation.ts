// Runs once when a server instance starts.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerInstance } = await import("./lib/startup/server-start");
  await startServerInstance();
}
