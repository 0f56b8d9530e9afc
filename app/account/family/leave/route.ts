import type { NextRequest } from "next/server";
import { familyLeavePostResponse } from "@/lib/reading/pages/family-pages";

export function POST(request: NextRequest) {
  return familyLeavePostResponse(request);
}
