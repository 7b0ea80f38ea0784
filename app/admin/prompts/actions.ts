"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { setPromptCategories, setPromptDisabled } from "@/lib/arena/prompts";
import { describeReclassify, reclassifyPrompts } from "@/lib/arena/reclassify";
import { adminAction } from "@/lib/http/action";

const id = z.coerce.number().int().positive();

export const savePromptCategories = adminAction(
  z.object({
    id,
    categories: z
      .string()
      .max(1000)
      .transform((s) =>
        s
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(z.string().max(40, "A category is at most 40 characters"))
          .max(20, "At most 20 categories"),
      ),
  }),
  (form) => ({ id: form.get("id"), categories: form.get("categories") ?? "" }),
  async ({ id, categories }) => {
    const saved = await setPromptCategories(await getDb(), id, categories);
    revalidatePath("/admin/prompts");
    return { ok: `Categories: ${saved.join(", ") || "none"}. Tallies recomputed.` };
  },
);

export const togglePrompt = adminAction(
  z.object({ id, disabled: z.enum(["true", "false"]).transform((v) => v === "true") }),
  (form) => ({ id: form.get("id"), disabled: form.get("disabled") }),
  async ({ id, disabled }) => {
    await setPromptDisabled(await getDb(), id, disabled);
    revalidatePath("/admin/prompts");
    return { ok: disabled ? "Disabled: it will not be drawn again." : "Enabled." };
  },
);

/** Every prompt through the current classifier again, the tallies moved with them (lib/arena/reclassify.ts). */
export const reclassifyAll = adminAction(
  z.object({}),
  () => ({}),
  async () => {
    const summary = await reclassifyPrompts(await getDb());
    revalidatePath("/admin", "layout");
    revalidatePath("/leaderboard", "layout");
    revalidatePath("/models/[slug]", "page");
    return { ok: describeReclassify(summary) };
  },
);
