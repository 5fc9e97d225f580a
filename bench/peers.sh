#!/usr/bin/env bash
# Side-by-side with other mock servers, using the team's peers harness (../shared/bench/peers/run.sh):
#   bench/peers.sh [SERVERS...]        default: custom prism-quiet starlette
# The mock runs as the harness's "custom" server on a frozen clock, so its Piwik PRO token is known
# before it starts; its rate limits are raised (the limiter still runs) through the admin API.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PEERS="${PEERS_HARNESS:-$ROOT/../shared/bench/peers}"
[ -x "$PEERS/run.sh" ] || { echo "peers harness not found at $PEERS (set PEERS_HARNESS)" >&2; exit 2; }
PY="$ROOT/.venv/bin/python"
BASE_PORT="${BASE_PORT:-27100}"
# the harness gives "custom" the port after its 13 default servers
PORT=$((BASE_PORT + 13))
CLOCK=2026-01-01T00:00:00Z
TOKEN=$("$PY" - "$PORT" "$CLOCK" <<'PY'
import sys
from mocks.core.app import create_app
from mocks.core.clock import VirtualClock, parse_instant
port, clock = sys.argv[1], sys.argv[2]
suite = create_app(["piwik_pro"], clock=VirtualClock(parse_instant(clock), frozen=True))
scope = {"type": "http", "scheme": "http", "path": "/", "headers": [(b"host", f"127.0.0.1:{port}".encode())]}
print(suite.mint_token("piwik_pro", scope=scope)["access_token"])
PY
)
START="$ROOT/bench/.peers_start.sh"
cat > "$START" <<SH
#!/usr/bin/env bash
"$PY" -m mocks.cli run --port "\$1" --log-level warning --vendors piwik_pro --clock $CLOCK --freeze &
pid=\$!
until curl -s -o /dev/null "http://127.0.0.1:\$1/_mocks/health"; do sleep 0.02; done
curl -sf -o /dev/null -X PUT -H 'content-type: application/json' "http://127.0.0.1:\$1/_mocks/ratelimits" -d '{"vendor":"piwik_pro","limit":1000000000}' \\
  || { echo "peers: could not raise the mock's rate limits (every request would be a 429)" >&2; kill \$pid; exit 1; }
wait \$pid
SH
chmod +x "$START"
[ $# -gt 0 ] || set -- custom prism-quiet starlette
CUSTOM_CMD="$START {PORT}" CUSTOM_DIR="$ROOT" CUSTOM_NAME=mocks \
CUSTOM_LIST_PATH="/piwik_pro/api/users/v2?limit=25" \
CUSTOM_ONE_PATH="/piwik_pro/api/users/v2/b30e538d-4b05-4a75-ae25-7eb565901f38" \
CUSTOM_AUTH="Bearer $TOKEN" BASE_PORT="$BASE_PORT" PEERS_DIR="${PEERS_DIR:-/tmp/peers}" \
  exec "$PEERS/run.sh" "$@"
