import { NextResponse } from "next/server";
import { unavailableDocument } from "@/lib/ui/error-pages";

// Errors that mean "the database cannot be reached right now", not "this request is wrong":
// refused or dropped connections (postgres.js codes) and PostgreSQL shutting down or starting up.
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up)
  "53300", // too_many_connections
  "08000",
  "08001",
  "08003",
  "08006",
]);

/** True for an error (or one it wraps: drizzle puts the driver's error in `cause`) that says the database is unreachable. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return unavailableCode(error) !== null;
}

function unavailableCode(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return code;
  }
  return null;
}

/** 503 with a page saying so; Retry-After tells browsers and crawlers to come back soon. */
function databaseUnavailableResponse(): NextResponse {
  return new NextResponse(unavailableDocument(), {
    status: 503,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "retry-after": "5" },
  });
}

/**
 * For a page, whose status a server component cannot choose (Next answers 500 when it throws):
 * the 503 page when the database does not answer now, checked before the page renders.
 */
export async function unlessDatabaseAnswers(databaseAnswers: () => Promise<boolean>): Promise<NextResponse | undefined> {
  if (await databaseAnswers()) return undefined;
  console.error(`${new Date().toISOString()} database unavailable, answered 503`);
  return databaseUnavailableResponse();
}

/** Runs a request's work; a database outage becomes the 503 page, anything else is rethrown. */
export async function answerUnlessDatabaseDown<T extends Response>(work: () => Promise<T>): Promise<T | NextResponse> {
  try {
    return await work();
  } catch (error) {
    const code = unavailableCode(error);
    if (!code) throw error;
    console.error(`${new Date().toISOString()} database unavailable (${code}), answered 503`);
    return databaseUnavailableResponse();
  }
}
