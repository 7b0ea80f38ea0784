import type { Metadata } from "next";
import { DemoSetCard } from "@/components/admin/demo-set-card";
import { LastImport } from "@/components/admin/last-import";
import { getDb } from "@/db";
import { demoSetCounts, hasDemoSet, REMOVE_DEMO_CONFIRMATION } from "@/lib/arena/demo-set";
import { dashboardStats, positionBias } from "@/lib/arena/stats";
import { requireAdminPage } from "@/lib/auth/guard";
import { removeDemo } from "./actions";

export const metadata: Metadata = { title: "Admin" };

function Stat({ label, value, hint }: { label: string; value: number | string; hint?: string }) {
  return (
    <div className="card px-4 py-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
      {hint && <dd className="text-xs text-zinc-500">{hint}</dd>}
    </div>
  );
}

export default async function AdminDashboard() {
  await requireAdminPage("/admin");
  const db = await getDb();
  const s = await dashboardStats(db);
  const bias = await positionBias(db);
  const demo = (await hasDemoSet(db)) ? await demoSetCounts(db) : null;
  const fmt = (n: number) => n.toLocaleString("en-US");
  return (
    <div className="flex flex-col gap-6">
      <h1 className="text-xl font-semibold">Dashboard</h1>
      <DemoSetCard
        counts={demo}
        realData={demo !== null && s.prompts > demo.prompts}
        confirmation={REMOVE_DEMO_CONFIRMATION}
        action={removeDemo}
      />
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="dashboard-stats">
        <Stat label="Prompts" value={fmt(s.prompts)} hint={`${fmt(s.activePrompts)} active`} />
        <Stat label="Responses" value={fmt(s.responses)} />
        <Stat label="Models" value={fmt(s.models)} hint={`${fmt(s.visibleModels)} in battles`} />
        <Stat label="Voters" value={fmt(s.voters)} />
        <Stat label="Votes today" value={fmt(s.votesToday)} hint="since 00:00 UTC" />
        <Stat label="Votes in total" value={fmt(s.votesTotal)} />
        <Stat
          label="Identity leaks"
          value={fmt(s.identityLeakVotes)}
          hint="votes kept, not counted (see Votes)"
        />
      </dl>
      <section className="card px-4 py-3 text-sm" data-testid="position-bias">
        <h2 className="mb-1 font-semibold">Position bias</h2>
        {bias.leftShare === null ? (
          <p className="text-zinc-500">No decisive votes yet.</p>
        ) : (
          <p>
            The left response (A) won <strong>{Math.round(bias.leftShare * 1000) / 10}%</strong> of
            decisive votes ({fmt(bias.left)} A, {fmt(bias.right)} B; {fmt(bias.ties)} ties,{" "}
            {fmt(bias.bothBad)} both bad). Sides are drawn at random, so a share far from 50% means
            voters favour a side; per-voter shares are under Votes.
          </p>
        )}
      </section>
      <LastImport last={s.lastImport} latest={s.latestImport} />
    </div>
  );
}
