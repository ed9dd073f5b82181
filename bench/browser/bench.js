// Decodes identical frames with labelcheck's worker pipeline (the app's own scan worker, with a
// live camera frame's budget and with a photo's), zxing-wasm and jsQR, and reports reads and
// times per frame size. The camera loop is also run as the app runs it (src/platform/frames.rs):
// the centre 80 % of each frame drawn into a canvas no larger than a given side, read back and
// sent to the worker, every step timed, for several sides. Served by `cargo xtask
// bench-browser`; the result lands in window.benchResult.
//
// Frames are kept as PNG blobs and turned into pixels just before each decode (not timed):
// holding all of them as pixels at once would take gigabytes and kill the page.
"use strict";

const status = (s) => (document.getElementById("status").textContent = s);

async function loadFrames() {
  const list = await (await fetch("frames.json")).json();
  const frames = [];
  for (const f of list) {
    status(`loading frames… ${frames.length + 1} of ${list.length}`);
    frames.push({ size: f.size, text: f.text, blob: await (await fetch(f.src)).blob() });
  }
  return frames;
}

async function pixels(frame) {
  const bmp = await createImageBitmap(frame.blob);
  const canvas = new OffscreenCanvas(bmp.width, bmp.height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

// One decoder over every frame. `decode(image)` resolves to {texts, trapped?, blockedMs,
// frameMs?}: blockedMs is how long the page's own thread was held by that frame; frameMs,
// for the camera loop, the time of each camera frame it took (the same picture sent again,
// as a steady camera would, until it reads or LIVE_FRAMES have gone by).
async function runAll(name, frames, decode) {
  await decode(await pixels(frames[0])); // warm-up: module instantiation, first allocations
  const out = [];
  for (const f of frames) {
    status(`${name}: frame ${out.length + 1} of ${frames.length}`);
    const image = await pixels(f);
    const t0 = performance.now();
    const r = await decode(image);
    const ms = performance.now() - t0;
    out.push({
      size: f.size,
      frameMs: r.frameMs ?? [ms],
      blockedMs: r.blockedMs ?? ms,
      texts: r.texts,
      trapped: !!r.trapped,
    });
  }
  return out;
}

// About two seconds of camera frames at the app's pace (one every 80 ms).
const LIVE_FRAMES = 24;

// The app's per-frame work on a camera frame: the centre CROP of the picture drawn into a
// canvas whose longer side is at most `side`, its pixels read back, then sent to the worker.
const CROP = 0.8;

async function appCameraDecoder(side) {
  const worker = await workerDecoder(false);
  const canvas = new OffscreenCanvas(1, 1);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const decode = async (image) => {
    // The picture as the video element holds it (not timed: the camera made it).
    const bitmap = await createImageBitmap(image);
    const frameMs = [];
    let blockedMs = 0;
    try {
      for (let i = 0; i < LIVE_FRAMES; i++) {
        const t0 = performance.now();
        const [cw, ch] = [bitmap.width * CROP, bitmap.height * CROP];
        const scale = Math.min(1, side / Math.max(cw, ch));
        const [dw, dh] = [Math.max(1, Math.round(cw * scale)), Math.max(1, Math.round(ch * scale))];
        if (canvas.width !== dw || canvas.height !== dh) {
          canvas.width = dw;
          canvas.height = dh;
        }
        ctx.drawImage(bitmap, (bitmap.width - cw) / 2, (bitmap.height - ch) / 2, cw, ch, 0, 0, dw, dh);
        const pixels = ctx.getImageData(0, 0, dw, dh);
        const grabbed = performance.now() - t0;
        const r = await worker.once(pixels);
        frameMs.push(performance.now() - t0);
        blockedMs = Math.max(blockedMs, grabbed + r.blockedMs);
        if (r.texts.length > 0 || r.trapped) return { ...r, frameMs, blockedMs };
      }
    } finally {
      bitmap.close();
    }
    return { texts: [], frameMs, blockedMs };
  };
  return { decode, done: worker.done };
}

async function workerDecoder(thorough) {
  // The app's protocol (src/scan_protocol.rs): the worker says {type: "ready"} once its
  // handler is set (frames sent earlier would be lost) and answers {type: "decode", id, ...}
  // with {type: "decoded", id, texts, ms}.
  const spawn = () =>
    new Promise((resolve) => {
      const w = new Worker("/scan-worker_loader.js");
      w.onmessage = (e) => e.data && e.data.type === "ready" && resolve(w);
    });
  let id = 0;
  let worker = await spawn();
  const once = (image) =>
    new Promise((resolve) => {
      let blockedMs = 0;
      const sent = ++id;
      worker.onmessage = (e) =>
        e.data && e.data.type === "decoded" && e.data.id === sent && resolve({ texts: e.data.texts, blockedMs });
      worker.onerror = async (e) => {
        // The decoder trapped: the app replaces the worker, and so does the benchmark.
        e.preventDefault();
        worker.terminate();
        worker = await spawn();
        resolve({ texts: [], trapped: true, blockedMs });
      };
      // A copy: the transfer empties the buffer, and the camera loop sends the picture again.
      const rgba = new Uint8ClampedArray(image.data);
      const t0 = performance.now();
      worker.postMessage({ type: "decode", id: sent, width: image.width, height: image.height, rgba, thorough }, [rgba.buffer]);
      blockedMs = performance.now() - t0;
    });
  const decode = async (image) => {
    const frameMs = [];
    let blockedMs = 0;
    for (let i = 0; i < (thorough ? 1 : LIVE_FRAMES); i++) {
      const t0 = performance.now();
      const r = await once(image);
      frameMs.push(performance.now() - t0);
      blockedMs = Math.max(blockedMs, r.blockedMs);
      if (r.texts.length > 0 || r.trapped) return { ...r, frameMs, blockedMs };
    }
    return { texts: [], frameMs, blockedMs };
  };
  return { decode, once, done: () => worker.terminate() };
}

async function zxingDecoder() {
  await ZXingWASM.prepareZXingModule({
    overrides: {
      locateFile: (path, prefix) => (path.endsWith(".wasm") ? "/npm/zxing-wasm/dist/reader/" + path : prefix + path),
    },
    fireImmediately: true,
  });
  const opts = { formats: ["QRCode"], maxNumberOfSymbols: 1 };
  const decode = async (image) => {
    const found = await ZXingWASM.readBarcodes(image, opts);
    return { texts: found.filter((r) => r.isValid).map((r) => r.text) };
  };
  return { decode, done: () => {} };
}

async function jsqrDecoder() {
  const decode = async (image) => {
    const r = jsQR(image.data, image.width, image.height);
    return { texts: r ? [r.data] : [] };
  };
  return { decode, done: () => {} };
}

function quantile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
}

function summarise(name, frames, results) {
  const rows = {};
  for (const size of [...new Set(frames.map((f) => f.size))]) {
    const idx = frames.map((f, i) => (f.size === size ? i : -1)).filter((i) => i >= 0);
    const ms = idx.flatMap((i) => results[i].frameMs).sort((a, b) => a - b);
    const tries = idx
      .filter((i) => results[i].texts.includes(frames[i].text))
      .map((i) => results[i].frameMs.length)
      .sort((a, b) => a - b);
    const blocked = idx.map((i) => results[i].blockedMs).sort((a, b) => a - b);
    rows[size] = {
      frames: idx.length,
      reads: idx.filter((i) => results[i].texts.includes(frames[i].text)).length,
      wrong: idx.filter((i) => results[i].texts.some((t) => t !== frames[i].text)).length,
      trapped: idx.filter((i) => results[i].trapped).length,
      timedFrames: ms.length,
      firstFrame: idx.filter((i) => results[i].texts.includes(frames[i].text) && results[i].frameMs.length === 1).length,
      framesToReadMedian: tries.length ? quantile(tries, 50) : null,
      framesToReadMax: tries.length ? tries[tries.length - 1] : null,
      medianMs: quantile(ms, 50),
      p95Ms: quantile(ms, 95),
      blockedMaxMs: blocked[blocked.length - 1],
    };
  }
  return { name, sizes: rows };
}

(async () => {
  try {
    status("loading frames…");
    const frames = await loadFrames();
    // ?sides=640,960 sets the canvas sides the app's camera loop is run at.
    const params = new URLSearchParams(location.search);
    const sides = (params.get("sides") || "640,800,960,1024").split(",").map(Number);
    const decoders = [
      ...sides.map((side) => [`labelcheck app camera loop, frames at most ${side} px (centre ${CROP * 100} %)`, () => appCameraDecoder(side)]),
      ["labelcheck worker, camera loop on the whole frame (same frame up to 24 times)", () => workerDecoder(false)],
      ["labelcheck worker, photo (every way)", () => workerDecoder(true)],
      ["zxing-wasm (page thread)", zxingDecoder],
      ["jsQR (page thread)", jsqrDecoder],
    ];
    // ?only=labelcheck (a substring of the names) runs a subset, for quick comparisons;
    // ?skip=jsQR leaves out the decoders whose names contain it.
    const only = params.get("only");
    const skip = params.get("skip");
    const result = [];
    const chosen = decoders.filter(([name]) => (!only || name.includes(only)) && (!skip || !name.includes(skip)));
    for (const [name, make] of chosen) {
      const d = await make();
      result.push(summarise(name, frames, await runAll(name, frames, d.decode)));
      d.done();
    }
    window.benchResult = { ok: true, result };
    document.getElementById("result").textContent = JSON.stringify(result, null, 1);
    status("done");
  } catch (e) {
    window.benchResult = { ok: false, error: String(e && e.stack ? e.stack : e) };
    status("failed: " + e);
  }
})();
