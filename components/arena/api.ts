import type { BattleView, Reveal, Winner } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function post<T>(url: string, body?: unknown): Promise<T> {
  return request<T>(url, {
    method: "POST",
    headers: body === undefined ? undefined : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(
      0,
      "network",
      "Could not reach the server. Check your connection and try again.",
    );
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = typeof data?.error === "string" ? data.error : `The server answered ${res.status}.`;
    throw new ApiError(res.status, typeof data?.code === "string" ? data.code : "unknown", msg);
  }
  return data as T;
}

export const fetchBattle = () => post<BattleView>("/api/battles");

/**
 * Solves the server's proof-of-work challenge (ALTCHA, loaded only when asked for) and becomes a
 * voter: the answer sets the voter cookie.
 */
export async function becomeVoter(): Promise<void> {
  // Web Crypto exists only in secure contexts: HTTPS, or localhost.
  if (!globalThis.crypto?.subtle) {
    throw new ApiError(
      0,
      "insecure_context",
      "This arena checks new voters' browsers, which needs a secure (HTTPS) connection.",
    );
  }
  const challenge =
    await request<Parameters<typeof import("altcha-lib").solveChallenge>[0]["challenge"]>(
      "/api/voters/challenge",
    );
  const [{ solveChallenge }, { deriveKey }] = await Promise.all([
    import("altcha-lib"),
    import("altcha-lib/algorithms/web/pbkdf2"),
  ]);
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 120_000 });
  if (!solution) {
    throw new ApiError(
      0,
      "challenge_timeout",
      "Could not finish the browser check. Reload to try again.",
    );
  }
  await post("/api/voters", {
    challenge,
    solution: { counter: solution.counter, derivedKey: solution.derivedKey },
  });
}
export const sendVote = (battleId: string, winner: Winner) =>
  post<Reveal>(`/api/battles/${encodeURIComponent(battleId)}/vote`, { winner });
