import Link from "next/link";

/** A list's URL with its filters (blank ones left out) and its page. */
export function listHref(path: string, params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== "") search.set(name, String(value));
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

interface PaginationProps {
  /** Keyset lists cannot step back one page: they link to the first page instead. */
  first?: string | null;
  previous?: string | null;
  next?: string | null;
  /** Where the reader is, when the list knows its page count: [page, pages]. */
  position?: readonly [number, number];
}

/** The one pagination of the console: "← First page" or "← Previous", "Page n of m", "Next →". */
export function Pagination({ first, previous, next, position }: PaginationProps) {
  if (!first && !previous && !next) return null;
  return (
    <nav className="admin-pagination" aria-label="Pages">
      {first && <Link href={first}>← First page</Link>}
      {previous && <Link href={previous}>← Previous</Link>}
      {position && (
        <span>
          Page {position[0]} of {position[1]}
        </span>
      )}
      {next && <Link href={next}>Next →</Link>}
    </nav>
  );
}

/** The links of a list paged by number (`?page=n`); none when everything fits on one page. */
export function pageLinks(page: number, pages: number, href: (page: number) => string): PaginationProps {
  if (pages <= 1) return {};
  return { previous: page > 1 ? href(page - 1) : null, next: page < pages ? href(page + 1) : null, position: [Math.min(page, pages), pages] };
}
