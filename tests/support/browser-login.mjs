// Completes a sign-in at the test OpenID Provider in headless Chromium, as a person would.
//
//   node browser-login.mjs AUTHORIZATION_URL [--login NAME] [--password P] [--deny]
//
// Fills the provider's login page (oidc-provider's takes any password; Django's, with a
// username field, the one given), then confirms the consent page, or cancels it with --deny. Prints one JSON line: {"url": <last URL>, "text": <last page text>}.
// Also usable as $BROWSER for the app and ssoctl, which run "$BROWSER <url>".
import { launchChromium } from "./chromium.mjs";

const args = process.argv.slice(2);
const url = args.find((a) => /^https?:\/\//.test(a));
const loginIndex = args.indexOf("--login");
const login = loginIndex >= 0 ? args[loginIndex + 1] : "ada";
const passwordIndex = args.indexOf("--password");
const password = passwordIndex >= 0 ? args[passwordIndex + 1] : "any-password";
const deny = args.includes("--deny");
if (!url) {
  console.error("usage: browser-login.mjs AUTHORIZATION_URL [--login NAME] [--password P] [--deny]");
  process.exit(2);
}

const browser = await launchChromium();
const deadline = Date.now() + 30_000;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) console.error(`navigated: ${frame.url()}`);
  });
  await page.goto(url);
  // At most a login page and a consent page, then the redirect back.
  for (let step = 0; step < 4 && Date.now() < deadline; step += 1) {
    if (page.url().startsWith("http://127.0.0.1") && page.url().includes("/callback")) break;
    const loginField = page.locator('input[name="login"], input[name="username"]');
    const submit = page.locator('button[type="submit"]');
    if ((await loginField.count()) > 0) {
      await loginField.fill(login);
      await page.locator('input[name="password"]').fill(password);
      await Promise.all([page.waitForLoadState("load"), submit.first().click()]);
    } else if ((await submit.count()) > 0) {
      if (deny) {
        await Promise.all([page.waitForLoadState("load"), page.locator('a[href*="/abort"]').first().click()]);
      } else {
        await Promise.all([page.waitForLoadState("load"), submit.first().click()]);
      }
    } else {
      break;
    }
    await page.waitForLoadState("load");
  }
  await page.waitForURL(/127\.0\.0\.1:\d+\/callback/, { timeout: Math.max(1000, deadline - Date.now()) }).catch(() => {});
  const text = await page.locator("body").innerText().catch(() => "");
  process.stdout.write(`${JSON.stringify({ url: page.url(), text })}\n`);
} finally {
  await browser.close();
}
