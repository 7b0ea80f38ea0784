import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/nav";
import { requireAdminPage } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const admin = await requireAdminPage("/admin");
  return (
    <div>
      <AdminNav email={admin.email} />
      {children}
    </div>
  );
}
