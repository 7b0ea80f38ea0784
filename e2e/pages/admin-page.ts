import { expect, type Page } from "@playwright/test";
import { ADMIN } from "../fixtures";

export async function signIn(page: Page, callbackUrl = "/admin") {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("admin-email")).toHaveText(ADMIN.email);
}
