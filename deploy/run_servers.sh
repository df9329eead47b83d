#!/usr/bin/env bash
# Start or stop N app servers on one machine, on ports BASE .. BASE+N-1 of 127.0.0.1,
# each `streamlit run deploy/serve.py` (the app with /readyz). nginx in front of them:
# deploy/render_nginx.py. With systemd, prefer deploy/conflab@.service.
#
#   deploy/run_servers.sh start N [BASE_PORT]   # default base 8501; waits until all are ready
#   deploy/run_servers.sh stop                  # stops every server this script started
#
# Environment: DATABASE_URL (the shared PostgreSQL; a SQLite file works only while all
# servers are on this one machine), STREAMLIT_SERVER_COOKIE_SECRET (the same on every
# server), CONFLAB_RUN_DIR (pid and log files; default data/run), CONFLAB_PYTHON.
set -euo pipefail
cd "$(dirname "$0")/.."
run_dir="${CONFLAB_RUN_DIR:-data/run}"
python="${CONFLAB_PYTHON:-.venv/bin/python}"

ready() {  # ready PORT: exit 0 once http://127.0.0.1:PORT/readyz answers 200
  "$python" - "$1" <<'PY'
import sys, time, urllib.request
port, deadline = sys.argv[1], time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as reply:
            if reply.status == 200:
                sys.exit(0)
    except OSError:
        pass
    time.sleep(0.5)
sys.exit(1)
PY
}

case "${1:-}" in
  start)
    count="${2:?usage: $0 start N [BASE_PORT]}"
    base="${3:-8501}"
    mkdir -p "$run_dir"
    for ((i = 0; i < count; i++)); do
      port=$((base + i))
      nohup "$python" -m streamlit run deploy/serve.py \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        >"$run_dir/app-$port.log" 2>&1 &
      echo $! >"$run_dir/app-$port.pid"
    done
    status=0
    for ((i = 0; i < count; i++)); do
      port=$((base + i))
      if ready "$port"; then
        echo "app server on 127.0.0.1:$port is ready"
      else
        echo "app server on 127.0.0.1:$port is not ready; see $run_dir/app-$port.log" >&2
        status=1
      fi
    done
    exit "$status"
    ;;
  stop)
    shopt -s nullglob
    for pidfile in "$run_dir"/app-*.pid; do
      pid="$(cat "$pidfile")"
      if kill "$pid" 2>/dev/null; then
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
      fi
      rm -f "$pidfile"
    done
    ;;
  *)
    echo "usage: $0 start N [BASE_PORT] | $0 stop" >&2
    exit 2
    ;;
esac
