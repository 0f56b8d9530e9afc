import type { Metadata } from "next";

export const metadata: Metadata = { title: "Confirm your subscription", robots: { index: false } };

// The same answer for every sign-up, whatever happened to it.
export default function NewsletterCheckEmailPage() {
  return (
    <section className="page page--narrow" data-newsletter-result="check-email">
      <h1>Check your email</h1>
      <p>We have sent a confirmation link to the address you gave. Open it within 24 hours and press the button to start receiving the newsletter.</p>
      <p>Nothing arrived after a few minutes? Look in your spam folder.</p>
    </section>
  );
}
