import type { Battle, Reveal, Winner } from "./types";

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
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: body === undefined ? undefined : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
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

export const fetchBattle = () => post<Battle>("/api/battles");
export const sendVote = (battleId: string, winner: Winner) =>
  post<Reveal>(`/api/battles/${encodeURIComponent(battleId)}/vote`, { winner });
