import { getDb } from "@/db/client";
import { consentExportQuerySchema, consentRecordsCsvStream } from "@/lib/admin/subscribers/consent-export";
import { requireAdmin } from "@/lib/auth/current-user";
import { csvDownload } from "@/lib/http/csv-download";

/** Every consent record (or one reader's, `?user=`) as CSV, streamed. */
export async function GET(request: Request): Promise<Response> {
  await requireAdmin();
  const { user } = consentExportQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const day = new Date().toISOString().slice(0, 10);
  return csvDownload(consentRecordsCsvStream(await getDb(), user), user ? `consent-records-${day}-reader.csv` : `consent-records-${day}.csv`);
}
