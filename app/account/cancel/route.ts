import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { cancelPageResponse, cancelPostResponse } from "@/lib/reading/pages/cancel-page";

// A string-rendered page without client script, and its plain form posts (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => cancelPageResponse(request));
}

export function POST(request: NextRequest) {
  return cancelPostResponse(request);
}
