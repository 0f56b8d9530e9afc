import { checkDatabase } from "@/db/health";

// For load balancers and uptime checks: 503 when this instance cannot reach its database.
export async function GET() {
  const ok = await checkDatabase(2_000);
  return Response.json({ status: ok ? "ok" : "unavailable" }, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
