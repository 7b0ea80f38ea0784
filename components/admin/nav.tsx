"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";

const LINKS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/import", label: "Import" },
  { href: "/admin/models", label: "Models" },
  { href: "/admin/prompts", label: "Prompts" },
  { href: "/admin/votes", label: "Votes" },
  { href: "/admin/export", label: "Export" },
];

export function AdminNav({ email }: { email: string }) {
  const path = usePathname();
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 pb-3 dark:border-zinc-800">
      <nav aria-label="Admin" className="flex flex-wrap gap-1">
        {LINKS.map((l) => {
          const active = l.href === "/admin" ? path === "/admin" : path.startsWith(l.href);
          return (
            <Link
              key={l.href}
              href={l.href}
              aria-current={active ? "page" : undefined}
              className="rounded-md px-3 py-1.5 text-sm font-medium text-zinc-600 hover:bg-zinc-100 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-700 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200"
            >
              {l.label}
            </Link>
          );
        })}
      </nav>
      <div className="flex items-center gap-3 text-sm text-zinc-500">
        <span data-testid="admin-email">{email}</span>
        <button
          type="button"
          className="btn"
          data-testid="sign-out"
          onClick={() => void signOut({ callbackUrl: "/" })}
        >
          Sign out
        </button>
      </div>
    </div>
  );
}
