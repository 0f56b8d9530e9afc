import type { Metadata } from "next";

export const metadata: Metadata = { title: "Check your email", robots: { index: false } };

/** The one answer to every request, whatever the address owns. */
export default function CancelLinkSentPage() {
  return (
    <section className="page page--narrow">
      <h1>Check your email</h1>
      <p data-testid="cancel-link-sent">
        If that address has a subscription with us, we have sent it a link to cancel. Open it and press the button: the cancel is done at once, and we email
        you a receipt.
      </p>
      <p>Nothing arrived after a few minutes? Check the address and your spam folder, or ask again.</p>
      <p>
        <a href="/cancel">Back</a>
      </p>
    </section>
  );
}
