import type { IncomingMessage } from "node:http";

export declare function escapeMalformedPath(req: Pick<IncomingMessage, "url">): boolean;
