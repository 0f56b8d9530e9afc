import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { checkoutReceipt, receiptBanner, RECEIPT_COOKIE } from "@/lib/billing/receipt";

/** The receipt after paying, on the page the reader returns to; the proxy deletes the cookie as the page goes out. */
export async function ReceiptNotice() {
  const checkout = (await cookies()).get(RECEIPT_COOKIE)?.value;
  if (!checkout) return null;
  const user = await getCurrentUser();
  const receipt = user ? await checkoutReceipt(await getDb(), checkout, user.id).catch(() => null) : null;
  // Our own escaped markup, the same as above an article.
  return receipt ? <div dangerouslySetInnerHTML={{ __html: receiptBanner(receipt).value }} /> : null;
}
