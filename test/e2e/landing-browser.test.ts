// The invite landing page in a real browser (test-cases.md J82): phone and desktop, with and without
// JavaScript; the QR code decodes to the page's own address; no Content-Security-Policy violations.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { ANDROID_UA, LINUX_UA, launchBrowser } from "../helpers/browser.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import type { HttpApi } from "../../src/http/types.ts";
import type { CreatedInvite, InvitesApi } from "../../src/modules/invites/api.ts";
import type { RegisterAppsApi } from "../../src/modules/register-apps/api.ts";

// jsqr is CommonJS with an ES-style default: under NodeNext the function is the module's `default`.
const jsQR = jsQRModule.default;

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, userAgent: ANDROID_UA, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, userAgent: LINUX_UA };

describe("invite landing page in Chromium", () => {
  let ts: TestServer;
  let browser: Browser;
  let invite: CreatedInvite;
  let pageUrl: string;
  let allApps: string[];
  // Kept when HEARTH_SCREENSHOTS names a directory; otherwise a temporary one, removed at the end.
  const keep = process.env.HEARTH_SCREENSHOTS;
  const shots = keep ?? mkdtempSync(join(tmpdir(), "hearth-shots-"));

  before(async () => {
    ts = await startTestServer();
    const http = ts.server.modules.api<HttpApi>("http")!;
    invite = await ts.server.modules.api<InvitesApi>("invites")!.createAccount({ host: ts.host, creator: { by: "cli", isAdmin: true } });
    allApps = ts.server.modules.api<RegisterAppsApi>("register-apps")!.list().map((a) => a.id);
    pageUrl = `http://127.0.0.1:${http.port("http")}/invite/${invite.token}/`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await ts?.stop();
    if (!keep) rmSync(shots, { recursive: true, force: true });
  });

  /** Opens the page in a fresh context; collects console errors (CSP violations land there). */
  async function open(opts: BrowserContextOptions, javaScriptEnabled: boolean): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
    const context = await browser.newContext({ ...opts, javaScriptEnabled });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("console", (m) => {
      // The browser's own favicon probe is not the page's doing.
      if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(`${m.text()} ${m.location().url}`);
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    const res = await page.goto(pageUrl, { waitUntil: "load" });
    assert.equal(res?.status(), 200);
    return { page, errors, close: () => context.close() };
  }

  const visibleApps = (page: Page) =>
    page.locator("[data-app-list] [data-app]").evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e as HTMLElement).dataset.app!));

  async function logosLoaded(page: Page): Promise<void> {
    const broken = await page.locator("img").evaluateAll((imgs) => imgs.filter((i) => !(i as HTMLImageElement).complete || (i as HTMLImageElement).naturalWidth === 0).map((i) => (i as HTMLImageElement).src));
    assert.deepEqual(broken, []);
  }

  test("phone, Android, with JavaScript: Android and web apps first, the rest one click away", async () => {
    const { page, errors, close } = await open(PHONE, true);
    try {
      assert.deepEqual(await visibleApps(page), ["conversations", "snikket-android", "yaxim", "movim"]);
      assert.equal(await page.locator("[data-platform-name]").textContent(), "Android");
      assert.equal(await page.locator("[data-platform-note]").isVisible(), true);
      await logosLoaded(page);
      await page.screenshot({ path: join(shots, "phone-js.png"), fullPage: true });
      await page.getByRole("button", { name: "Show all apps" }).click();
      assert.deepEqual(await visibleApps(page), allApps);
      assert.equal(await page.locator("[data-platform-note]").isVisible(), false);
      await page.screenshot({ path: join(shots, "phone-js-all.png"), fullPage: true });
      const install = page.locator('[data-app="conversations"] a.button');
      assert.equal(await install.getAttribute("href"), `https://play.google.com/store/apps/details?id=eu.siacs.conversations&referrer=${encodeURIComponent(invite.uri)}`);
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test("phone without JavaScript: every app visible, no toggle, every link in place", async () => {
    const { page, errors, close } = await open(PHONE, false);
    try {
      assert.deepEqual(await visibleApps(page), allApps);
      assert.equal(await page.locator("[data-show-all]").isVisible(), false);
      assert.equal(await page.locator("[data-platform-note]").isVisible(), false);
      assert.equal(await page.getByRole("link", { name: "Open the invite in your app" }).getAttribute("href"), invite.uri);
      assert.equal(await page.getByRole("link", { name: "Register on the web instead" }).getAttribute("href"), `/register?t=${invite.token}`);
      await logosLoaded(page);
      await page.screenshot({ path: join(shots, "phone-nojs.png"), fullPage: true });
      // The setup page is reachable and works without JavaScript too.
      await page.locator('[data-app="monal"] a.button').click();
      await page.waitForURL(`**/invite/${invite.token}/setup/monal`);
      assert.equal(await page.getByRole("link", { name: "Accept invite using Monal" }).getAttribute("href"), invite.uri);
      await page.screenshot({ path: join(shots, "phone-setup-monal.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test("desktop, Linux, with JavaScript: Linux and web apps; the QR code decodes to this page's address", async () => {
    const { page, errors, close } = await open(DESKTOP, true);
    try {
      assert.deepEqual(await visibleApps(page), ["gajim", "dino", "movim"]);
      assert.equal(await page.locator("[data-platform-name]").textContent(), "Linux");
      await page.screenshot({ path: join(shots, "desktop-js.png"), fullPage: true });
      const qr = page.locator("[data-qr] svg");
      await qr.scrollIntoViewIfNeeded();
      const png = PNG.sync.read(await qr.screenshot({ path: join(shots, "qr.png") }));
      const code = jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
      assert.ok(code, "a QR code was found");
      assert.equal(code.data, pageUrl);
      assert.equal(code.data, page.url());
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });

  test("desktop without JavaScript: every app visible", async () => {
    const { page, errors, close } = await open(DESKTOP, false);
    try {
      assert.deepEqual(await visibleApps(page), allApps);
      await logosLoaded(page);
      await page.screenshot({ path: join(shots, "desktop-nojs.png"), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await close();
    }
  });
});
