"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { REMOVE_DEMO_CONFIRMATION, removeDemoSet } from "@/lib/arena/demo-set";
import { adminAction } from "@/lib/http/action";

/** Removes the demo set, once the admin has typed the confirmation (checked here, not only in the form). */
export const removeDemo = adminAction(
  z.object({
    confirm: z
      .string()
      .trim()
      .toLowerCase()
      .refine((v) => v === REMOVE_DEMO_CONFIRMATION, {
        message: `type "${REMOVE_DEMO_CONFIRMATION}" to confirm`,
      }),
  }),
  (form) => ({ confirm: form.get("confirm") ?? "" }),
  async () => {
    const removed = await removeDemoSet(await getDb());
    revalidatePath("/admin", "layout");
    revalidatePath("/leaderboard", "layout");
    revalidatePath("/models/[slug]", "page");
    return {
      ok: `Removed the demo set: ${removed.prompts} prompts, ${removed.responses} responses, ${removed.models} models and ${removed.votes} votes.`,
    };
  },
);
