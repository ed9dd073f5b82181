// Writes FILE.gz (gzip -9) and FILE.br (brotli, quality 11) beside every file of a built app
// worth compressing, for hosts that serve precompressed files (./scripts/serve does).
// Usage: node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const TYPES = /\.(html|js|mjs|wasm|css|json|jws|svg|webmanifest|txt)$/;
const MIN_BYTES = 256;

// Every file's compressions at once: zlib's thread pool runs them on all cores.
function walk(dir, jobs) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) {
      walk(path, jobs);
    } else if (TYPES.test(name) && info.size >= MIN_BYTES) {
      const data = readFileSync(path);
      const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
      jobs.push(promisify(gzip)(data, { level: 9 }).then((z) => writeFileSync(`${path}.gz`, z)));
      jobs.push(promisify(brotliCompress)(data, { params }).then((b) => writeFileSync(`${path}.br`, b)));
    }
  }
  return jobs;
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node precompress.mjs DIR");
  process.exit(2);
}
await Promise.all(walk(dir, []));
