import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { familyInvitePostResponse, familyPageResponse } from "@/lib/reading/pages/family-pages";

// A string-rendered page without client script (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => familyPageResponse(request));
}

// The payer invites one address (checked in the handler: same site, signed in, zod).
export function POST(request: NextRequest) {
  return familyInvitePostResponse(request);
}
