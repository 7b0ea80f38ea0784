import type { NextRequest } from "next/server";
import { authRoute } from "@/lib/auth/route";
import { handle } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

async function handler(request: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  const { nextauth } = await ctx.params;
  return handle(() => authRoute(request, nextauth));
}

export { handler as GET, handler as POST };
