import type { Block } from "@/lib/content/blocks";

/**
 * The body as readers will see it, and where a reader without access stops: after the first
 * `shown` blocks (previewBlockCount's cut, as the server makes it), or before the first one.
 */
export function MarkdownPreview({ blocks, shown }: { blocks: Block[]; shown: number }) {
  if (blocks.length === 0) return <p className="admin-preview__empty">The preview appears as you write.</p>;
  return (
    <div className="article__body admin-preview__body">
      {shown === 0 && (
        <p className="admin-preview__cut" role="note">
          No lead-in: readers without access see only the headline and standfirst, then the paywall
        </p>
      )}
      {blocks.map((block, i) => (
        <PreviewBlock key={i} kind={block.kind} text={block.text} endsLeadIn={i === shown - 1} />
      ))}
    </div>
  );
}

function PreviewBlock({ kind, text, endsLeadIn }: { kind: string; text: string; endsLeadIn: boolean }) {
  const content =
    kind === "heading" ? (
      <h2>{text}</h2>
    ) : kind === "quote" ? (
      <blockquote>
        <p>{text}</p>
      </blockquote>
    ) : (
      <p>{text}</p>
    );
  return (
    <>
      {content}
      {endsLeadIn && (
        <p className="admin-preview__cut" role="note">
          Lead-in ends here: readers without access see the paywall instead of what follows
        </p>
      )}
    </>
  );
}
