import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { withdrawPageResponse, withdrawPostResponse } from "@/lib/reading/pages/withdraw-page";

// A string-rendered page without client script, and its plain form post (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => withdrawPageResponse(request));
}

export function POST(request: NextRequest) {
  return withdrawPostResponse(request);
}
