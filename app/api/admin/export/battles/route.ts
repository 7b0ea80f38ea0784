import { z } from "zod";
import { getDb } from "@/db";
import { exportBattles } from "@/lib/arena/export/battles";
import { requireAdminApi } from "@/lib/auth/guard";
import { ArenaError } from "@/lib/errors";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

const querySchema = z.object({ format: z.enum(["fastchat", "csv"]).default("fastchat") });

/** Streams every voted battle, flagged and excluded ones marked, as FastChat clean_battle JSON or CSV. */
export function GET(request: Request) {
  return handle(async () => {
    await requireAdminApi(request);
    const parsed = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!parsed.success) {
      throw new ArenaError("invalid_request", "format must be fastchat or csv.", {
        details: parsed.error.issues,
      });
    }
    const { format } = parsed.data;
    const chunks = exportBattles(await getDb(), format);
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        // Pull a batch at a time so a slow client holds back the reads instead of buffering them all.
        let batch = "";
        for (let i = 0; i < 200; i++) {
          const next = await chunks.next();
          if (next.done) {
            if (batch) controller.enqueue(encoder.encode(batch));
            controller.close();
            return;
          }
          batch += next.value;
        }
        controller.enqueue(encoder.encode(batch));
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    const [type, ext] =
      format === "csv"
        ? ["text/csv; charset=utf-8", "csv"]
        : ["application/json; charset=utf-8", "json"];
    return new Response(stream, {
      headers: {
        "Content-Type": type,
        "Content-Disposition": `attachment; filename="arena-battles-${stamp}.${ext}"`,
        "Cache-Control": "no-store",
      },
    });
  });
}
