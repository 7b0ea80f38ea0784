import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { PromptRowEditor } from "@/components/admin/prompt-row";
import { ReclassifyButton } from "@/components/admin/reclassify-button";
import { getDb } from "@/db";
import { allCategories, listPrompts } from "@/lib/arena/prompts";
import { requireAdminPage } from "@/lib/auth/guard";
import { pageQuery } from "@/lib/http/page-input";
import { reclassifyAll, savePromptCategories, togglePrompt } from "./actions";

export const metadata: Metadata = { title: "Prompts" };

const PAGE_SIZE = 25;

const querySchema = z.object({
  q: z
    .string()
    .default("")
    .transform((v) => v.slice(0, 200)),
  category: z.string().max(100).default(""),
  // a page number the list could have; `1e308` or `-1` is a bad address, not page 1
  page: z.preprocess(
    (v) => (v === undefined || v === "" ? 1 : v),
    z.coerce.number().int().min(1).max(1_000_000),
  ),
});

export default async function PromptsPage({ searchParams }: PageProps<"/admin/prompts">) {
  await requireAdminPage("/admin/prompts");
  const { q, category, page } = pageQuery(querySchema, await searchParams);
  const db = await getDb();
  const { rows, total } = await listPrompts(db, {
    q,
    category: category || undefined,
    page,
    pageSize: PAGE_SIZE,
  });
  const categories = await allCategories(db);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const link = (p: number) =>
    `/admin/prompts?${new URLSearchParams({ ...(q && { q }), ...(category && { category }), page: String(p) })}`;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Prompts</h1>
      <ReclassifyButton action={reclassifyAll} />
      <search>
        <form className="flex flex-wrap items-end gap-2">
          <label className="flex flex-1 flex-col gap-1 text-xs font-medium">
            Search text
            <input name="q" defaultValue={q} className="input" placeholder="words in the prompt" />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium">
            Category
            <select name="category" defaultValue={category} className="input">
              <option value="">All</option>
              {categories.map((c) => (
                <option key={c.category} value={c.category}>
                  {c.category} ({c.prompts})
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn-primary">
            Filter
          </button>
        </form>
      </search>
      <p className="text-sm text-zinc-500" data-testid="prompt-count">
        {total.toLocaleString("en-US")} prompts{q && ` matching “${q}”`}
        {category && ` in ${category}`}
      </p>
      <div className="flex flex-col gap-3">
        {rows.map((p) => (
          <PromptRowEditor
            key={p.id}
            prompt={p}
            saveCategories={savePromptCategories}
            toggle={togglePrompt}
          />
        ))}
      </div>
      {pages > 1 && (
        <nav className="flex items-center gap-3 text-sm" aria-label="Pages">
          {page > 1 && (
            <Link href={link(page - 1)} className="btn">
              Previous
            </Link>
          )}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages && (
            <Link href={link(page + 1)} className="btn">
              Next
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
