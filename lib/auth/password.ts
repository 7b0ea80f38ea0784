import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { ArenaError } from "@/lib/errors";

/** bcrypt at cost 12: about a quarter second per check, slow enough to blunt guessing. */
const COST = 12;

/**
 * The worker script. Next's build (Turbopack) recognises `new Worker(<this path>)` and bundles
 * the worker into a chunk of its own; the CLI and the unit tests load it from the checkout
 * (they run from the project root, as db/client.ts's migrations folder assumes too).
 */
const WORKER_FILE = path.join(process.cwd(), "lib", "auth", "bcrypt-worker.mjs");

/** Checks waiting beyond this are refused at once: a flood gets 429s, not a growing queue. */
export const MAX_QUEUED = 32;

type Job =
  | { op: "hash"; password: string; cost: number }
  | { op: "compare"; password: string; hash: string };

interface Pending {
  job: Job;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  current?: Pending & { id: number };
}

/**
 * A few worker threads for bcrypt, so hashing never blocks the event loop that serves votes.
 * One thread less than the machine has cores (at least one, at most four): the main thread
 * keeps a core of its own. Workers start on first use and do not keep the process alive while
 * idle, so the CLI still exits when it is done.
 */
class BcryptPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  readonly size = Math.max(1, Math.min(4, os.availableParallelism() - 1));

  run(job: Job): Promise<string | boolean> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(
        new ArenaError(
          "rate_limited",
          "The server is busy checking other sign-ins. Try again in a few seconds.",
          { headers: { "Retry-After": "5" } },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  /** Jobs waiting for a worker, and jobs running. */
  load(): number {
    return this.queue.length + this.slots.filter((s) => s.current).length;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.current) ?? this.spawn();
      if (!slot) return;
      const pending = this.queue.shift() as Pending;
      slot.current = { ...pending, id: this.nextId++ };
      slot.worker.ref();
      slot.worker.postMessage({ id: slot.current.id, ...pending.job });
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined;
    const slot: Slot = { worker: new Worker(WORKER_FILE) };
    slot.worker.unref();
    slot.worker.on("message", (msg: { id: number; result?: string | boolean; error?: string }) => {
      const done = slot.current;
      if (!done || done.id !== msg.id) return;
      slot.current = undefined;
      slot.worker.unref();
      if (msg.error !== undefined) done.reject(new Error(`bcrypt: ${msg.error}`));
      else done.resolve(msg.result as string | boolean);
      this.dispatch();
    });
    // A worker that dies fails its job and is replaced by the next dispatch.
    const retire = (error: Error) => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      slot.current?.reject(error);
      slot.current = undefined;
      this.dispatch();
    };
    slot.worker.on("error", retire);
    slot.worker.on("exit", (code) => retire(new Error(`the bcrypt worker exited (${code})`)));
    this.slots.push(slot);
    return slot;
  }
}

// One pool per process, even where Next bundles this module more than once.
const POOL = Symbol.for("arena.bcryptPool");
const store = globalThis as { [POOL]?: BcryptPool };
function pool(): BcryptPool {
  store[POOL] ??= new BcryptPool();
  return store[POOL];
}

export async function hashPassword(password: string): Promise<string> {
  return (await pool().run({ op: "hash", password, cost: COST })) as string;
}

/** Any bcrypt hash ($2a$/$2b$/$2y$, any cost) checks; refused with 429 when too many checks are waiting. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await pool().run({ op: "compare", password, hash })) === true;
}

/** Password checks queued or running in this process. */
export function passwordChecksInFlight(): number {
  return pool().load();
}

/** A password for a generated admin: 18 random bytes, 144 bits. */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}
