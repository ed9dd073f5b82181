// Writes FILE.gz (gzip -9) and FILE.br (brotli, quality 11) beside every file of a built app
// worth compressing, for hosts that serve precompressed files (./scripts/serve does).
// Usage: node scripts/precompress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const TYPES = /\.(html|js|mjs|wasm|css|json|jws|svg|webmanifest|txt)$/;
const MIN_BYTES = 256;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) {
      walk(path);
    } else if (TYPES.test(name) && info.size >= MIN_BYTES) {
      const data = readFileSync(path);
      writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
      writeFileSync(
        `${path}.br`,
        brotliCompressSync(data, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
        }),
      );
    }
  }
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node precompress.mjs DIR");
  process.exit(2);
}
walk(dir);
