import type { Metadata } from "next";
import { ModelEditor } from "@/components/admin/model-editor";
import { getDb } from "@/db";
import { listModels } from "@/lib/arena/models";
import { requireAdminPage } from "@/lib/auth/guard";
import { saveModel } from "./actions";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage() {
  await requireAdminPage("/admin/models");
  const rows = await listModels(await getDb());
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-xl font-semibold">Models</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Hidden models are never drawn and never shown on the leaderboard. Deprecated models keep
          their votes but leave new battles; the leaderboard shows them only on request.
        </p>
      </div>
      <ul className="flex flex-col gap-3" data-testid="model-list">
        {rows.map((m) => (
          <li key={m.id}>
            <ModelEditor model={m} action={saveModel} />
          </li>
        ))}
      </ul>
      {rows.length === 0 && (
        <p className="text-sm text-zinc-500">No models yet: they are created by imports.</p>
      )}
    </div>
  );
}
