import { getDb } from "@/db/client";
import { subscribersCsvStream } from "@/lib/admin/subscribers/queries";
import { subscriberQuerySchema } from "@/lib/admin/subscribers/form";
import { requireAdmin } from "@/lib/auth/current-user";
import { env } from "@/lib/env";
import { csvDownload } from "@/lib/http/csv-download";

/** The subscribers (or the search's matches) as CSV, streamed; every field escaped against formula injection. */
export async function GET(request: Request): Promise<Response> {
  await requireAdmin();
  const { q } = subscriberQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const csv = subscribersCsvStream(await getDb(), q, env().BILLING_GRACE_DAYS);
  const day = new Date().toISOString().slice(0, 10);
  return csvDownload(csv, `subscribers-${day}.csv`);
}
