// Puts static/boot.js into DIR/index.html as an inline script, and lets exactly that script run:
// its SHA-256 joins script-src in DIR/_headers. A label link's wasm download starts when
// boot.js has run; as a file of its own, boot.js costs the page one more round trip before
// that (on a slow phone network, about 200 ms of a 2-second verdict). No other inline script
// is allowed: the policy names this one's hash, not 'unsafe-inline'. Run by the post-build
// hook before scripts/preload.sh (which writes the service worker's list of files).
// Usage: node scripts/inline-boot.mjs DIR
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/inline-boot.mjs DIR");
  process.exit(2);
}
const fail = (why) => {
  console.error(`inline-boot: ${why}`);
  process.exit(1);
};
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const boot = readFileSync(join(root, "static/boot.js"), "utf8");
if (/<\/script|<!--/i.test(boot)) fail("static/boot.js contains </script or <!--, which would end the inline script");
if (/`|\\\n/.test(boot)) fail("static/boot.js has a template literal or a line continuation, which dropping indentation would change");
const page = join(dir, "index.html");
const html = readFileSync(page, "utf8");
const tag = '<script src="boot.js"></script>';
if (html.split(tag).length !== 2) fail(`${page} must load boot.js exactly once, as ${tag}`);
// What every phone downloads before anything else: sent without its comment lines and
// indentation (half its size). Only lines that are wholly a comment go, so no code or string
// is touched (boot.js has no template literals or line continuations).
const code = boot
  .split("\n")
  .map((line) => line.trimStart())
  .filter((line) => line !== "" && !line.startsWith("//"))
  .join("\n");
writeFileSync(page, html.replace(tag, () => `<script>${code}</script>`));

const hash = `'sha256-${createHash("sha256").update(code, "utf8").digest("base64")}'`;
const headers = join(dir, "_headers");
const policy = readFileSync(headers, "utf8");
const scriptSrc = /(Content-Security-Policy:[^\n]*script-src 'self' 'wasm-unsafe-eval')( 'sha256-[^']*')?/;
if (!scriptSrc.test(policy)) fail(`${headers} has no script-src 'self' 'wasm-unsafe-eval' to add the boot script to`);
writeFileSync(headers, policy.replace(scriptSrc, (_, base) => `${base} ${hash}`));
