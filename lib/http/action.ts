import "server-only";
import type { z } from "zod";
import { type Admin, sessionAdmin } from "@/lib/auth/guard";
import { isArenaError } from "@/lib/errors";

export type ActionState = { ok?: string; error?: string; fields?: Record<string, string> };

/**
 * A server action for admins: the session is checked, the form is validated with zod and the
 * whole submission is refused with the wrong field named, before `fn` runs.
 */
export function adminAction<S extends z.ZodType>(
  schema: S,
  toInput: (form: FormData) => unknown,
  fn: (data: z.infer<S>, admin: Admin) => Promise<ActionState> | ActionState,
) {
  return async (_prev: ActionState, form: FormData): Promise<ActionState> => {
    const admin = await sessionAdmin();
    if (admin === null || admin === "not-admin")
      return { error: "Your session has ended. Sign in again." };
    // No field the arena keeps may hold a NUL, and PostgreSQL refuses one in text outright.
    for (const [key, value] of form.entries()) {
      if (typeof value === "string" && value.includes("\0")) {
        const error = "holds a NUL character, which no text may";
        return { error: `${key}: ${error}`, fields: { [key]: error } };
      }
    }
    const parsed = schema.safeParse(toInput(form));
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const issue of parsed.error.issues) fields[issue.path.join(".")] ??= issue.message;
      const first = parsed.error.issues[0];
      return {
        error: first ? `${first.path.join(".") || "form"}: ${first.message}` : "Invalid form.",
        fields,
      };
    }
    try {
      return await fn(parsed.data, admin);
    } catch (e) {
      if (isArenaError(e)) return { error: e.message };
      throw e;
    }
  };
}
