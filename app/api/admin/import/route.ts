import { z } from "zod";
import { getDb } from "@/db";
import { assertNoImportRunning } from "@/lib/arena/import-runs";
import { runImportInWorker } from "@/lib/arena/import-thread";
import type { ImportSummary } from "@/lib/arena/imports";
import { requireAdminApi } from "@/lib/auth/guard";
import { env } from "@/lib/env";
import { ArenaError } from "@/lib/errors";
import { handle, json } from "@/lib/http/respond";
import { spoolToTempFile, type Upload, upload } from "@/lib/http/upload";
import { IMPORT_FORMATS, isImportError } from "@/lib/import/parse";

export const dynamic = "force-dynamic";

const flag = z
  .enum(["0", "1", "true", "false"])
  .default("0")
  .transform((v) => v === "1" || v === "true");

const querySchema = z.object({
  format: z.enum(["auto", ...IMPORT_FORMATS]).default("auto"),
  dryRun: flag,
  votes: flag,
  name: z.string().max(255).optional(),
});

/**
 * POST /api/admin/import[?format=auto|prompt-set|response-rows|battles|votes][&dryRun=1][&votes=1]
 * The file is the raw body, or the multipart field `file`, spooled to a temporary file and
 * imported in a worker thread in bounded batches; one bad record refuses the whole file with its
 * line and field, and nothing is written.
 */
export function POST(request: Request) {
  return handle(async () => {
    const admin = await requireAdminApi(request);
    const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success) {
      throw new ArenaError("invalid_request", "Invalid import options.", {
        details: query.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const maxBytes = env().IMPORT_MAX_BYTES;
    if (Number(request.headers.get("content-length") ?? 0) > maxBytes + 64 * 1024) {
      throw new ArenaError(
        "payload_too_large",
        `The file is larger than the ${Math.round(maxBytes / 1e6)} MB import limit.`,
      );
    }
    // Refuse early, before reading the upload, while another import runs (checked again at its start).
    await assertNoImportRunning(await getDb());
    const { source, fileName, discardRest } = await fileFrom(request, query.data.name, maxBytes);
    // On disk, not in memory: the import's worker thread reads it twice (validate, then write).
    const spooled = await spoolToTempFile(source, maxBytes);
    let summary: ImportSummary;
    try {
      summary = await runImportInWorker({
        databaseUrl: env().DATABASE_URL,
        file: spooled.file,
        options: {
          source: fileName ?? "upload",
          fileName,
          dryRun: query.data.dryRun,
          userEmail: admin.email,
          parse: {
            format: query.data.format,
            votes: query.data.votes,
            fileName,
            maxBytes,
            maxTextBytes: env().IMPORT_MAX_TEXT_BYTES,
          },
        },
      });
    } catch (e) {
      if (!isImportError(e)) throw e;
      // the client may still be sending (a file over the limit): let it finish, or it may see a
      // reset, not this answer
      await discardRest();
      throw new ArenaError(
        e.code === "too_large" ? "payload_too_large" : "invalid_request",
        e.message,
        {
          details: {
            imported: { prompts: 0, responses: 0, models: 0, votes: 0 },
            skipped: 0,
            errors: [e.toJSON()],
          },
        },
      );
    } finally {
      await spooled.remove();
    }
    return json(summary, query.data.dryRun ? 200 : 201);
  });
}

async function fileFrom(
  request: Request,
  name: string | undefined,
  maxBytes: number,
): Promise<Upload & { fileName?: string }> {
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) {
    const form = await request.formData().catch(() => {
      throw new ArenaError("invalid_request", "The multipart body could not be read.");
    });
    const file = form.get("file");
    if (!(file instanceof File))
      throw new ArenaError("invalid_request", 'The multipart body has no "file" field.');
    return {
      source: file.stream() as unknown as AsyncIterable<Uint8Array>,
      fileName: name ?? file.name,
      // formData() has read the whole body already
      discardRest: async () => {},
    };
  }
  if (!request.body)
    throw new ArenaError("invalid_request", "The request has no body: send the file as the body.");
  return { ...upload(request.body, maxBytes), fileName: name };
}
