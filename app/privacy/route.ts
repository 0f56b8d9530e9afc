import type { NextRequest } from "next/server";
import { privacyPageResponse } from "@/lib/reading/pages/privacy-page";

// A string-rendered page without client script (docs/decisions/0028-reader-pages-without-client-script.md).
export function GET(request: NextRequest) {
  return privacyPageResponse(request);
}
