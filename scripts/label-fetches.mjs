// Writes into DIR/index.html, for each authority of DIR/trust.json whose key list is built into
// the app (DIR/lists/AUTHORITY.keys.jws), where a label's verdict will fetch from: its published
// key and revocation lists (from trust.json), its status list partitions and reports, and the
// hosts reports may come from (from the key list). The boot script reads them to start a label
// link's fetches as soon as the page runs, beside the app's download (static/boot.js): with
// nothing to read first, no round trip and no wait for a busy page. They are the build's own
// files, trusted as its code is; a list published later with other addresses only costs a
// fetch the app does not use (it fetches anew). Run by scripts/preload.sh.
// Usage: node scripts/label-fetches.mjs DIR
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/label-fetches.mjs DIR");
  process.exit(2);
}
const page = join(dir, "index.html");
const html = readFileSync(page, "utf8");
const where = {};
const trustFile = join(dir, "trust.json");
if (existsSync(trustFile)) {
  let trust;
  try {
    trust = JSON.parse(readFileSync(trustFile, "utf8"));
  } catch (e) {
    console.error(`label-fetches: ${trustFile} is not JSON (${e.message}); no early fetches`);
  }
  for (const anchor of trust?.anchors ?? []) {
    const file = join(dir, "lists", `${anchor.authority}.keys.jws`);
    if (!/^[A-Za-z0-9-]{1,16}$/.test(anchor.authority ?? "") || !existsSync(file)) continue;
    let keys;
    try {
      keys = JSON.parse(Buffer.from(JSON.parse(readFileSync(file, "utf8")).payload, "base64url").toString("utf8"));
    } catch (e) {
      console.error(`label-fetches: ${file} is not a key list (${e.message}); skipped`);
      continue;
    }
    if (keys.authority !== anchor.authority) continue;
    where[anchor.authority] = {
      keys: anchor.key_list_url,
      revocations: anchor.revocations_url,
      status: keys.status_url ?? null,
      report: keys.report_url ?? null,
      hosts: keys.report_hosts ?? [],
    };
  }
}
const attr = JSON.stringify(where).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const line = /^ *<meta name="labelcheck-fetches" content="[^"]*" \/>\n/m;
const meta = `    <meta name="labelcheck-fetches" content="${attr}" />\n`;
const builtIn = /^ *<meta name="labelcheck-built-in" content="[^"]*" \/>\n/m;
if (!builtIn.test(html)) {
  console.error(`label-fetches: ${page} has no <meta name="labelcheck-built-in"> line to follow (run scripts/preload.sh)`);
  process.exit(1);
}
const without = html.replace(line, "");
writeFileSync(page, without.replace(builtIn, (m) => m + meta));
