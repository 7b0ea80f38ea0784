/**
 * Every failure a client can see has a code, and each code one HTTP status, so route handlers
 * map errors without knowing where they came from.
 */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  /** ARENA_VOTER_CHALLENGE is on and the client has no voter yet: solve GET /api/voters/challenge first. */
  challenge_required: 403,
  /** A cookie-authenticated change that did not come from the arena's own pages (CSRF). */
  cross_site_request: 403,
  battle_not_found: 404,
  /**
   * A vote without the voter cookie: no battle can be this voter's. A 404 like any battle that
   * is not the caller's, with its own code and a message that says why.
   */
  voter_cookie_missing: 404,
  not_found: 404,
  already_voted: 409,
  /** Imports run one at a time per deployment. */
  import_running: 409,
  battle_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  arena_empty: 503,
  /** No snapshot of this leaderboard yet: the fit worker is computing it. */
  leaderboard_pending: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class ArenaError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers?: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ArenaError";
    this.code = code;
    this.details = opts.details;
    this.headers = opts.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isArenaError(e: unknown): e is ArenaError {
  return e instanceof ArenaError;
}
