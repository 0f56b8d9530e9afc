import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { deleteAccountPageResponse, deleteAccountPostResponse } from "@/lib/reading/pages/delete-account-page";

// A string-rendered page without client script, and its plain form post (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => deleteAccountPageResponse(request));
}

export function POST(request: NextRequest) {
  return deleteAccountPostResponse(request);
}
