import Link from "next/link";

/** A detail page's way back up to its list, above its heading. */
export function BackLink({ href, children }: { href: string; children: string }) {
  return (
    <p>
      <Link href={href} prefetch={false}>
        {`← ${children}`}
      </Link>
    </p>
  );
}
