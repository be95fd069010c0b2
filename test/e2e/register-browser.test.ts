// Web registration in a real browser (invites.md §11; test-cases.md J86, J87): from the landing page to the form,
// a refused attempt, the success page, then the new account signs in over XMPP. Also a chosen app's steps and
// a password reset without JavaScript. No Content-Security-Policy violations anywhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { ANDROID_UA, LINUX_UA, launchBrowser } from "../helpers/browser.ts";
import { startTestServer, TEST_PASSWORD, type TestServer } from "../helpers/server.ts";
import type { HttpApi } from "../../src/http/types.ts";
import type { InvitesApi } from "../../src/modules/invites/api.ts";

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, userAgent: ANDROID_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, userAgent: LINUX_UA };
const CLI = { by: "cli", isAdmin: true };
const PASSWORD = "a long walk home";

describe("web registration in Chromium", () => {
  let ts: TestServer;
  let invites: InvitesApi;
  let browser: Browser;
  let base: string;
  // Kept when HEARTH_SCREENSHOTS names a directory; otherwise a temporary one, removed at the end.
  const keep = process.env.HEARTH_SCREENSHOTS;
  const shots = keep ?? mkdtempSync(join(tmpdir(), "hearth-shots-"));

  before(async () => {
    ts = await startTestServer();
    invites = ts.server.modules.api<InvitesApi>("invites")!;
    base = `http://127.0.0.1:${ts.server.modules.api<HttpApi>("http")!.port("http")}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await ts?.stop();
    if (!keep) rmSync(shots, { recursive: true, force: true });
  });

  async function open(opts: BrowserContextOptions, javaScriptEnabled: boolean, url: string): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ ...opts, javaScriptEnabled });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(`${m.text()} ${m.location().url}`);
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    const res = await page.goto(url, { waitUntil: "load" });
    assert.equal(res?.status(), 200);
    return { page, errors, close: () => context.close() };
  }

  test("phone: landing page → register on the web → a refused try → success → sign in over XMPP", async () => {
    const invite = await invites.createAccount({ host: ts.host, creator: CLI });
    const { page, errors, close } = await open(PHONE, true, `${base}/invite/${invite.token}/`);
    try {
      await page.getByRole("link", { name: "Register on the web instead" }).click();
      await page.waitForURL(`**/register?t=${invite.token}`);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), `Register on ${ts.host}`);

      // hearth.js shows the buttons; they switch the field between hidden and shown.
      const password = page.getByLabel("Password", { exact: true });
      const show = page.getByRole("button", { name: "Show password", exact: true });
      assert.equal(await show.isVisible(), true);
      await password.fill(PASSWORD);
      await show.click();
      assert.equal(await password.getAttribute("type"), "text");
      assert.equal(await show.getAttribute("aria-pressed"), "true");
      await show.click();
      assert.equal(await password.getAttribute("type"), "password");
      await page.screenshot({ path: join(shots, "register-phone-form.png"), fullPage: true });

      await page.getByLabel("Username").fill("Quinn");
      await page.getByLabel("Password again").fill(`${PASSWORD}!`);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForLoadState("load");
      assert.equal(await page.locator("#password_confirm-error").textContent(), "The two passwords are not the same.");
      assert.equal(await page.getByLabel("Username").inputValue(), "Quinn");
      assert.equal(await password.inputValue(), "", "the password is not sent back");
      await page.screenshot({ path: join(shots, "register-phone-error.png"), fullPage: true });
      // The refused form comes back as 400, which Chromium notes in the console; nothing else may be there.
      assert.deepEqual(errors.splice(0), [`Failed to load resource: the server responded with a status of 400 (Bad Request) ${base}/register`]);

      await password.fill(PASSWORD);
      await page.getByLabel("Password again").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForLoadState("load");
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), `Welcome to ${ts.host}!`);
      assert.equal(await page.locator("[data-jid]").first().textContent(), `quinn@${ts.host}`);
      assert.equal(await page.getByText(PASSWORD).count(), 0);
      // Android apps (and web ones) first, as on the landing page.
      const shown = await page
        .locator("[data-app-list] [data-app]")
        .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).dataset.app!));
      assert.deepEqual(shown, ["conversations", "snikket-android", "yaxim", "movim"]);
      await page.screenshot({ path: join(shots, "register-phone-success.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
    const c = await ts.login("quinn", { password: PASSWORD });
    assert.equal(c.jid?.split("/")[0], `quinn@${ts.host}`);
  });

  test("desktop: an app without invite links (Gajim) → the form → that app's steps", async () => {
    const invite = await invites.createAccount({ host: ts.host, creator: CLI });
    const { page, errors, close } = await open(DESKTOP, true, `${base}/invite/${invite.token}/`);
    try {
      await page.locator('[data-app="gajim"] a.button').click();
      await page.waitForURL(`**/register?t=${invite.token}&c=gajim`);
      await page.getByLabel("Username").fill("rosa");
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Password again").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForLoadState("load");
      assert.equal(await page.getByRole("heading", { level: 2, name: "Step 1: Install Gajim" }).isVisible(), true);
      assert.equal(await page.getByRole("link", { name: "gajim.org" }).getAttribute("href"), "https://gajim.org/download/");
      assert.match((await page.locator("#step2-heading + p").textContent()) ?? "", /Open Gajim, .* rosa@example\.com/);
      await page.screenshot({ path: join(shots, "register-desktop-gajim.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
    await ts.login("rosa", { password: PASSWORD });
  });

  test("phone without JavaScript: a password reset from its landing page; no show buttons", async () => {
    await ts.createUser("sam");
    const reset = await invites.createReset({ host: ts.host, creator: CLI, username: "sam" });
    const { page, errors, close } = await open(PHONE, false, `${base}/invite/${reset.token}/`);
    try {
      await page.getByRole("link", { name: "Choose a new password" }).click();
      await page.waitForURL(`**/register?t=${reset.token}`);
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), `Choose a new password for sam@${ts.host}`);
      assert.equal(await page.getByLabel("Username").isEditable(), false);
      assert.equal(await page.locator("[data-reveal]").first().isVisible(), false);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Password again").fill(PASSWORD);
      await page.screenshot({ path: join(shots, "reset-phone-form.png"), fullPage: true });
      await page.getByRole("button", { name: "Save the new password" }).click();
      await page.waitForLoadState("load");
      assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Your password has been changed");
      await page.screenshot({ path: join(shots, "reset-phone-success.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
    await ts.login("sam", { password: PASSWORD });
    await assert.rejects(ts.login("sam", { password: TEST_PASSWORD }));
  });
});
