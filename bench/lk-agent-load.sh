#!/usr/bin/env bash
# `lk perf agent-load-test` against the local stack (run `make up` first): N rooms, each with an lk participant
# publishing speech, and the interviewer agent dispatched into each; lk reports dispatch → join per room.
# lk's dispatches carry no interview, so the agent joins, finds nothing to ask and leaves: this measures dispatch
# and join at scale. Whole interviews under load (answers, "done", turn latency) are measured by bench/agent.py.
# Usage: bench/lk-agent-load.sh [rooms=10] [duration=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
LK=${LK:-$(.venv/bin/python -c 'from infra.config import StackConfig; print(StackConfig().lk_bin)')}
exec "$LK" perf agent-load-test \
  --url "${LIVEKIT_URL:-ws://127.0.0.1:7880}" --api-key "${LIVEKIT_API_KEY:-devkey}" \
  --api-secret "${LIVEKIT_API_SECRET:-secret}" \
  --rooms "${1:-10}" --agent-name "${AGENT_NAME:-interviewer}" --duration "${2:-30s}"
