"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { SUSPECT_KINDS } from "@/db/schema";
import { decideSuspect } from "@/lib/arena/anomalies";
import { adminAction } from "@/lib/http/action";

/** Exclude a voter or an address, or count it again (also after an automatic flag). */
export const decideSubject = adminAction(
  z.object({
    kind: z.enum(SUSPECT_KINDS),
    key: z.string().min(1).max(100),
    decision: z.enum(["cleared", "excluded"]),
  }),
  (form) => ({ kind: form.get("kind"), key: form.get("key"), decision: form.get("decision") }),
  async ({ kind, key, decision }, admin) => {
    const { votes } = await decideSuspect(await getDb(), { kind, key }, decision, admin.email);
    revalidatePath("/admin/votes");
    revalidatePath("/leaderboard", "layout");
    return {
      ok: `${decision === "excluded" ? "Excluded" : "Counting again"}: ${votes} votes changed.`,
    };
  },
);
