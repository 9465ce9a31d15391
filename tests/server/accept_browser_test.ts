// The accept page in a real browser: Debian's chromium, driven headless through playwright-core. Only a
// browser runs the page's script under its Content-Security-Policy, so only a browser shows a dead button.
import assert from "node:assert/strict";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import type { UserDetails } from "../../src/api/types.ts";
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_INVITE_RATE_LIMIT,
  DEFAULT_RATE_LIMIT,
  DEFAULT_TENANT_INVITE_RATE_LIMIT,
  DEFAULT_TENANT_RATE_LIMIT,
} from "../../src/server/defaults.ts";
import { needs } from "../support/programs.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { invitationFrom, startSmtpSink } from "../support/smtp_sink.ts";
import { tempDir } from "../support/temp_dir.ts";

const CHROMIUM = "/usr/bin/chromium";
const BAD_TOKEN = "Invalid invitation token: it is unknown, expired, revoked or already used";
const DEFAULT_LIMITS = {
  rateLimit: DEFAULT_RATE_LIMIT,
  inviteRateLimit: DEFAULT_INVITE_RATE_LIMIT,
  tenantRateLimit: DEFAULT_TENANT_RATE_LIMIT,
  tenantInviteRateLimit: DEFAULT_TENANT_INVITE_RATE_LIMIT,
  authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT,
};

/** A fresh headless chromium with a throwaway profile; closing it removes the profile. */
async function browser(): Promise<{ context: BrowserContext } & AsyncDisposable> {
  const profile = await tempDir();
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      await profile[Symbol.asyncDispose]();
    },
  };
}

/** Opens a page that records what the browser refused under the page's Content-Security-Policy. */
async function open(context: BrowserContext, url: string): Promise<{ page: Page; refusals: string[] }> {
  const page = await context.newPage();
  const refusals: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
  });
  page.on("pageerror", (error) => refusals.push(`page error: ${error.message}`));
  await page.goto(url);
  // The script has run once the token has left the address bar.
  await page.waitForURL((address) => address.search === "", { timeout: 10_000 }).catch((error: Error) => {
    throw new Error(`The page's script did not run: ${refusals.join("; ") || error.message}`);
  });
  return { page, refusals };
}

async function invite(server: TestServer, email: string): Promise<void> {
  const response = await fetch(`${server.url}/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  assert.equal(response.status, 201);
  await response.body?.cancel();
}

async function user(server: TestServer, email: string): Promise<UserDetails | undefined> {
  const response = await fetch(`${server.url}/v1/users?limit=1000`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  const page = await response.json() as { data: UserDetails[] };
  return page.data.find((u) => u.email === email);
}

Deno.test({
  name: "in chromium: the emailed link's page accepts the invitation, and a used link shows its error",
  ...needs(["chromium", "chromium"]),
  async fn() {
    await using sink = await startSmtpSink();
    await using server = await startTestServer({ smtpUrl: sink.smtpUrl, ...DEFAULT_LIMITS });
    await invite(server, "ada@example.com");
    const [message] = await sink.waitForMessages(1);
    const { acceptUrl, token } = invitationFrom(message ?? "");
    assert.ok(acceptUrl.startsWith(`${server.url}/accept?token=`));
    await using chrome = await browser();

    const { page, refusals } = await open(chrome.context, acceptUrl);
    assert.equal(page.url(), `${server.url}/accept`, "the token has left the address bar");
    assert.ok(!String(await page.evaluate("location.href + JSON.stringify(history.state)")).includes(token));
    // The style ran under its hash (the page's own font), and the button is live.
    assert.match(String(await page.evaluate("getComputedStyle(document.body).fontFamily")), /system-ui/);
    assert.equal(await page.isEnabled("#accept"), true);
    assert.equal((await user(server, "ada@example.com"))?.status, "pending");
    await page.click("#accept");
    await page.locator("#result").filter({ hasText: /^Invitation/ }).waitFor();
    assert.equal(
      await page.textContent("#result"),
      "Invitation accepted: ada@example.com is now active.",
    );
    assert.equal(await page.isHidden("#accept"), true);
    assert.deepEqual(refusals, [], "nothing refused by the Content-Security-Policy");
    assert.equal((await user(server, "ada@example.com"))?.status, "active");

    // The same link again: the button answers with the service's error.
    const again = await open(chrome.context, acceptUrl);
    await again.page.click("#accept");
    await again.page.locator("#result").filter({ hasText: /^Invalid/ }).waitFor();
    assert.equal(await again.page.textContent("#result"), BAD_TOKEN);
    assert.deepEqual(again.refusals, []);
  },
});

Deno.test({
  name: "in chromium: an expired link shows its error, and a link without a token a disabled button",
  ...needs(["chromium", "chromium"]),
  async fn() {
    let offset = 0;
    await using sink = await startSmtpSink();
    await using server = await startTestServer({
      smtpUrl: sink.smtpUrl,
      now: () => new Date(Date.now() + offset),
      ...DEFAULT_LIMITS,
    });
    await invite(server, "late@example.com");
    const [message] = await sink.waitForMessages(1);
    const { acceptUrl } = invitationFrom(message ?? "");
    offset = 7 * 24 * 60 * 60 * 1000 + 60_000;
    await using chrome = await browser();
    const { page, refusals } = await open(chrome.context, acceptUrl);
    await page.click("#accept");
    await page.locator("#result").filter({ hasText: /^Invalid/ }).waitFor();
    assert.equal(await page.textContent("#result"), BAD_TOKEN);
    assert.equal((await user(server, "late@example.com"))?.status, "pending");

    const bare = await open(chrome.context, `${server.url}/accept`);
    assert.equal(await bare.page.isDisabled("#accept"), true);
    assert.equal(
      await bare.page.textContent("#result"),
      "This link has no invitation token. Open the link from your invitation email.",
    );
    assert.deepEqual([...refusals, ...bare.refusals], []);
  },
});
