export const DEVICE_CLASSES = ["mobile", "tablet", "desktop"] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

// Tablets first: an iPad or an Android without "Mobile" says so; phones say Mobi, iPhone, or a phone OS.
const TABLET = /\b(iPad|Tablet|PlayBook|Kindle|Silk)\b|Android(?!.*\bMobile\b)/i;
const MOBILE = /Mobi|iPhone|iPod|Windows Phone|BlackBerry|BB10|Opera Mini|IEMobile/i;

/**
 * The device class a User-Agent names: mobile, tablet or desktop (no header, or one we cannot
 * place: desktop). Pure. The header is the browser's to send, so it only ever picks a paywall
 * (docs/segments.md), never a right to read.
 */
export function deviceClass(userAgent: string | null | undefined): DeviceClass {
  const ua = (userAgent ?? "").slice(0, 512);
  if (ua === "") return "desktop";
  // Most reads come from a few hundred browsers' strings: each is matched once.
  let known = seen.get(ua);
  if (!known) {
    known = TABLET.test(ua) ? "tablet" : MOBILE.test(ua) ? "mobile" : "desktop";
    if (seen.size >= 1_000) seen.clear();
    seen.set(ua, known);
  }
  return known;
}

const seen = new Map<string, DeviceClass>();
