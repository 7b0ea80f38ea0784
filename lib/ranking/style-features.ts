/**
 * Style features of a response, stored at import so that style control (regressing votes on
 * length and markdown) can be added without re-reading every response. Counted the way
 * FastChat's style control counts them: markdown headers, list items and bold spans, plus a
 * token estimate (no tokenizer ships here, so words and CJK characters stand in for tokens).
 */
export interface StyleFeatures {
  tokens: number;
  headers: number;
  listItems: number;
  bold: number;
}

export function styleFeatures(markdown: string): StyleFeatures {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, (block) => block.replace(/[^\n]/g, " "));
  const cjk = markdown.match(/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
  const words = markdown.match(
    /[A-Za-z0-9_]+|[^\sA-Za-z0-9_\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/g,
  );
  return {
    tokens: Math.round((words?.length ?? 0) * 1.3) + cjk,
    headers: withoutCode.match(/^ {0,3}#{1,6}\s+\S/gm)?.length ?? 0,
    listItems: withoutCode.match(/^\s*([-*+]|\d+[.)])\s+\S/gm)?.length ?? 0,
    bold: withoutCode.match(/\*\*[^*\n]+\*\*|__[^_\n]+__/g)?.length ?? 0,
  };
}
