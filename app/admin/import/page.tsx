import type { Metadata } from "next";
import { ImportForm } from "@/components/admin/import-form";
import { getDb } from "@/db";
import { hasDemoSet } from "@/lib/arena/demo-set";
import { requireAdminPage } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Import" };

export default async function ImportPage() {
  await requireAdminPage("/admin/import");
  return (
    <div className="flex max-w-3xl min-w-0 flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Import prompts, responses and votes</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Check a file first: the dry run validates every record and reports what would be added.
          One bad record refuses the whole file, with its line and field, and nothing is written.
          Importing the same content again adds nothing. Unknown models are created; edit their
          names under Models.
        </p>
      </div>
      <ImportForm demoSet={await hasDemoSet(await getDb())} />
    </div>
  );
}
