// Opens saved pages (diagnostics reports) in headless Chromium, scripts enabled, and says what
// each page did while it loaded: it never clicks or types.
//
//   node report-page.mjs FILE...
//
// Prints one JSON line per file: {"url", "dialogs", "console", "page_errors", "popups",
// "requests", "scripts", "pwned", "images", "frames", "title", "sections", "final_url"}.
import { pathToFileURL } from "node:url";
import { launchChromium } from "./chromium.mjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: report-page.mjs FILE...");
  process.exit(2);
}
// However the browser behaves, this script ends.
setTimeout(() => {
  console.error("report-page: timed out");
  process.exit(3);
}, 60_000).unref();

const browser = await launchChromium();
try {
  for (const file of files) {
    const context = await browser.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const seen = { dialogs: [], console: [], page_errors: [], popups: [], requests: [] };
    page.on("dialog", (d) => {
      seen.dialogs.push(`${d.type()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on("console", (m) => seen.console.push(`${m.type()}: ${m.text()}`));
    page.on("pageerror", (e) => seen.page_errors.push(String(e)));
    page.on("popup", (p) => seen.popups.push(p.url()));
    context.on("request", (r) => seen.requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: "load" });
    // Time for anything deferred (a refresh, a timer, a lazy load) to show itself.
    await page.waitForTimeout(750);
    const facts = await page.evaluate(() => ({
      scripts: document.querySelectorAll("script").length,
      pwned: typeof window.__pwned,
      images: Array.from(document.images, (i) => i.src.slice(0, 32)),
      frames: document.querySelectorAll("iframe, frame, object, embed").length,
      title: document.title,
      sections: Array.from(document.querySelectorAll("section > h2"), (h) => h.textContent),
      final_url: location.href,
    }));
    process.stdout.write(`${JSON.stringify({ url, ...seen, ...facts })}\n`);
    await context.close();
  }
} finally {
  await browser.close();
}
