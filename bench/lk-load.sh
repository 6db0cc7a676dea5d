#!/usr/bin/env bash
# `lk perf load-test` against the local stack (run `make up` first): media publishers and subscribers in one room,
# to see what this livekit-server holds. lk publishes the media that infra/lk_media.sh generated at build time.
# Usage: bench/lk-load.sh [audio publishers=5] [video publishers=2] [subscribers=10] [duration=30s]
# LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET override the development defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
LK=${LK:-$(.venv/bin/python -c 'from infra.config import StackConfig; print(StackConfig().lk_bin)')}
exec "$LK" perf load-test \
  --url "${LIVEKIT_URL:-ws://127.0.0.1:7880}" --api-key "${LIVEKIT_API_KEY:-devkey}" \
  --api-secret "${LIVEKIT_API_SECRET:-secret}" --room "lk-load-$RANDOM" \
  --audio-publishers "${1:-5}" --video-publishers "${2:-2}" --subscribers "${3:-10}" --duration "${4:-30s}" \
  --video-resolution medium
