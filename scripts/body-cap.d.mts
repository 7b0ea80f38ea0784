import type { IncomingMessage, ServerResponse } from "node:http";

export declare const DEFAULT_BODY_CAP: number;
export declare const IMPORT_DEFAULT_MAX_BYTES: number;
export declare const MULTIPART_SLACK: number;
export declare function bodyCaps(env?: Record<string, string | undefined>): {
  import: number;
  other: number;
};
export declare function capFor(
  url: string | undefined,
  caps: { import: number; other: number },
): number;
export declare function capRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  cap: number,
): boolean;
