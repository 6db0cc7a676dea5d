#!/usr/bin/env bash
# `lk perf agent-load-test` against the local stack: N rooms, the interviewer agent dispatched into each, and an lk
# participant that echoes the agent's voice back after 5 s; lk reports dispatch → join and whether the agent's
# audio track was subscribed, per room. lk's dispatches carry no interview: start the stack with
#   AGENT_LOAD_TEST_ROOMS=true make up
# and the agent runs a demo voice interview in each room (agent/demo.py: greeting and questions spoken, the echo
# heard as the answer, turns ended by silence, nothing stored). Without it the agent joins, says there is nothing
# to ask and leaves (dispatch and join only). Turn latency under load is measured by bench/agent.py.
# Usage: bench/lk-agent-load.sh [rooms=10] [duration=30s]
set -euo pipefail
cd "$(dirname "$0")/.."
LK=${LK:-$(.venv/bin/python -c 'from infra.config import StackConfig; print(StackConfig().lk_bin)')}
exec "$LK" perf agent-load-test \
  --url "${LIVEKIT_URL:-ws://127.0.0.1:7880}" --api-key "${LIVEKIT_API_KEY:-devkey}" \
  --api-secret "${LIVEKIT_API_SECRET:-secret}" \
  --rooms "${1:-10}" --agent-name "${AGENT_NAME:-interviewer}" --duration "${2:-30s}"
