import type { NextRequest } from "next/server";
import { answerUnlessDatabaseDown } from "@/lib/http/database-unavailable";
import { familyJoinPageResponse, familyJoinPostResponse } from "@/lib/reading/pages/family-pages";

export function GET(request: NextRequest) {
  return answerUnlessDatabaseDown(() => familyJoinPageResponse(request));
}

export function POST(request: NextRequest) {
  return familyJoinPostResponse(request);
}
