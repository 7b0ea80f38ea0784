"use client";

import { memo, useMemo } from "react";
import ReactMarkdown, { type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeKatex from "rehype-katex";
import remarkGfm from "remark-gfm";
import remarkMath from "remark-math";
import { normalizeMathDelimiters } from "@/lib/render/math-delimiters";
import { rehypeMathNowrap } from "@/lib/render/math-nowrap";
import { rehypeScrollFocus } from "@/lib/render/scroll-focus";

const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkMath];
const rehypePlugins: Options["rehypePlugins"] = [
  [rehypeKatex, { throwOnError: false, strict: "ignore" }],
  rehypeMathNowrap,
  rehypeScrollFocus,
  [rehypeHighlight, { detect: false }],
];

// A code block scrolls sideways on its own: keyboard users reach it with Tab to scroll it too.
const components: Options["components"] = {
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus to be scrolled by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable)
  pre: ({ node: _node, ...props }) => <pre tabIndex={0} {...props} />,
  // A link in a model's answer opens beside the arena: following it must not lose the battle,
  // and the page it names learns nothing of the arena (no opener, no referrer) nor gains rank.
  a: ({ node: _node, ...props }) => (
    <a {...props} target="_blank" rel="noopener noreferrer nofollow ugc" />
  ),
};

/**
 * Model output as markdown with GFM, KaTeX math and highlighted code. Raw HTML in the text is
 * never parsed into elements (no rehype-raw), so a `<script>` stays visible, inert text, and
 * react-markdown's URL filter drops `javascript:` links.
 */
export const Markdown = memo(function Markdown({ children }: { children: string }) {
  const text = useMemo(() => normalizeMathDelimiters(children), [children]);
  return (
    <div className="prose prose-zinc max-w-none break-words prose-pre:overflow-x-auto prose-pre:bg-zinc-100 prose-pre:text-zinc-900 dark:prose-invert dark:prose-pre:bg-zinc-900 dark:prose-pre:text-zinc-100 prose-table:block prose-table:overflow-x-auto prose-code:before:content-none prose-code:after:content-none">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
});
