"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { setVoterExcluded } from "@/lib/arena/voters";
import { adminAction } from "@/lib/http/action";

export const toggleVoter = adminAction(
  z.object({
    voterId: z.string().min(1).max(100),
    excluded: z.enum(["true", "false"]).transform((v) => v === "true"),
  }),
  (form) => ({ voterId: form.get("voterId"), excluded: form.get("excluded") }),
  ({ voterId, excluded }) => {
    const { votes } = setVoterExcluded(getDb(), voterId, excluded);
    revalidatePath("/admin/votes");
    revalidatePath("/leaderboard", "layout");
    return { ok: `${excluded ? "Excluded" : "Included"} ${votes} battles; tallies recomputed.` };
  },
);
