"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db";
import { modelPatchSchema, updateModel } from "@/lib/arena/models";
import { adminAction } from "@/lib/http/action";

const schema = modelPatchSchema.extend({ id: z.coerce.number().int().positive() });

export const saveModel = adminAction(
  schema,
  (form) => ({
    id: form.get("id"),
    displayName: form.get("displayName"),
    organization: form.get("organization") ?? "",
    license: form.get("license") ?? "",
    link: form.get("link") ?? "",
    hidden: form.get("hidden") === "on",
    deprecated: form.get("deprecated") === "on",
  }),
  async ({ id, ...patch }) => {
    await updateModel(await getDb(), id, patch);
    revalidatePath("/admin/models");
    revalidatePath("/leaderboard", "layout");
    return { ok: `Saved ${patch.displayName}.` };
  },
);
