import type { Metadata } from "next";
import { requireAdminPage } from "@/lib/auth/guard";

export const metadata: Metadata = { title: "Export" };

const EXPORTS = [
  {
    href: "/api/admin/export/battles?format=fastchat",
    label: "Battles — FastChat clean_battle JSON",
    note: "Runs in FastChat's leaderboard notebooks as is: model_a, model_b, winner, tstamp, judge (a pseudonym), anony, language, turn, both conversations, categories and category_tag. Identity-leak and excluded votes are marked, not left out.",
  },
  {
    href: "/api/admin/export/battles?format=csv",
    label: "Battles — CSV",
    note: "The same battles, one per row, with the prompt and both responses.",
  },
  {
    href: "/api/leaderboard?category=overall&format=csv",
    label: "Leaderboard — CSV",
    note: "The overall leaderboard as shown; any category via ?category=.",
  },
];

export default async function ExportPage() {
  await requireAdminPage("/admin/export");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Export</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Downloads stream, so they work on any database size. Scripts can fetch the same URLs with{" "}
        <code>Authorization: Bearer $ADMIN_TOKEN</code>, or use{" "}
        <code>npm run arena -- export-battles</code>.
      </p>
      <ul className="flex flex-col gap-3">
        {EXPORTS.map((e) => (
          <li key={e.href} className="card px-4 py-3">
            <a href={e.href} className="font-medium text-indigo-600 underline" download>
              {e.label}
            </a>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{e.note}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
