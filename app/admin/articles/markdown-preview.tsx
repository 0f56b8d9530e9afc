"use client";

import { markdownToBlocks } from "@/lib/content/markdown";

/** The body as readers will see it, converted by the same function the server saves with. */
export function MarkdownPreview({ markdown, leadIn }: { markdown: string; leadIn: number }) {
  const blocks = markdownToBlocks(markdown);
  if (blocks.length === 0) return <p className="admin-preview__empty">The preview appears as you write.</p>;
  return (
    <div className="article__body admin-preview__body">
      {blocks.map((block, i) => (
        <PreviewBlock key={i} kind={block.kind} text={block.text} endsLeadIn={i === leadIn - 1 && i < blocks.length - 1} />
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
