// Starts the app. A file rather than the inline script Trunk would write, so that the page's
// Content-Security-Policy can forbid inline script altogether (static/_headers).
import init from "./labelcheck-app.js";

await init({ module_or_path: new URL("labelcheck-app_bg.wasm", import.meta.url) });
