import type { NextRequest } from "next/server";
import { dataExportResponse } from "@/lib/reading/pages/data-export";

// A plain form post from /account (the button is the confirmation); the answer is a JSON file.
export function POST(request: NextRequest) {
  return dataExportResponse(request);
}
