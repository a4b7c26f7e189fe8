#!/usr/bin/env bash
# `make run`: prepares the console (migrations, static files, the sandbox's seed) and runs the
# sandbox, the web console (gunicorn), a Celery worker and beat in the foreground, each output line
# prefixed with its name. Ctrl-C or SIGTERM stops them all and waits for them. A worker or beat
# that dies (the kernel's OOM killer, a crash) is started again after a back-off (1 s, doubling
# up to RESTART_MAX_DELAY while it keeps dying within a minute), with a log line; the console and
# the sandbox keep running meanwhile.
#
# Environment: HOST and PORT (console, 127.0.0.1:8000), SANDBOX_HOST and SANDBOX_PORT (sandbox,
# 127.0.0.1:8001), SANDBOX_SIZE (its seed, demo), START_TIMEOUT (seconds, 120), and every
# setting in README's table. Development defaults apply unless set: DEBUG=1, plain http://.
set -euo pipefail
cd "$(dirname "$0")/.."

# `wait -n` on a list of pids (below) arrived in bash 5.1; macOS's /bin/bash is 3.2.
if ((BASH_VERSINFO[0] * 100 + BASH_VERSINFO[1] < 501)); then
    echo "run: needs bash 5.1 or newer, this is $BASH_VERSION (macOS: brew install bash)" >&2
    exit 1
fi

HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
SANDBOX_HOST=${SANDBOX_HOST:-127.0.0.1}
SANDBOX_PORT=${SANDBOX_PORT:-8001}
START_TIMEOUT=${START_TIMEOUT:-120}
RESTART_MAX_DELAY=${RESTART_MAX_DELAY:-30}
export HOST PORT
export DEBUG=${DEBUG:-1}
export SECURE_COOKIES=${SECURE_COOKIES:-0}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
export PLATFORM_URL=${PLATFORM_URL:-http://$SANDBOX_HOST:$SANDBOX_PORT/connextlive}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-2}
# Without it Python block-buffers output into the pipes below and lines arrive late.
export PYTHONUNBUFFERED=1

PY=.venv/bin/python
# The console's settings keep their files under SWITCHBOARD_VAR_DIR; the sandbox's go there too.
var_dir=${SWITCHBOARD_VAR_DIR:-var}
sandbox_db=$var_dir/sandbox.sqlite3
worker_ready=$var_dir/run/worker.ready
stopping=$var_dir/run/stopping
console_url="http://$HOST:$PORT/"
sandbox_url="http://$SANDBOX_HOST:$SANDBOX_PORT/"

say() { printf 'run: %s\n' "$*"; }

[ -x "$PY" ] || bash scripts/bootstrap.sh

port_is_free() {
    # Binds the way gunicorn does (SO_REUSEADDR), so a listener on any address of the port counts.
    "$PY" -c 'import socket, sys
try:
    socket.create_server((sys.argv[1].strip("[]"), int(sys.argv[2]))).close()
except OSError:
    sys.exit(1)' "$1" "$2"
}

for pair in "console $HOST $PORT PORT" "sandbox $SANDBOX_HOST $SANDBOX_PORT SANDBOX_PORT"; do
    read -r what host port var <<<"$pair"
    if ! port_is_free "$host" "$port"; then
        say "cannot start the $what: $host:$port is already in use (another 'make run'?)." >&2
        say "stop what listens there, or pick another port, e.g. $var=$((port + 10)) make run" >&2
        exit 1
    fi
done

# The prefixer ignores Ctrl-C so that it outlives its service and prints the shutdown messages;
# it ends when the service closes its output. On a worker's "ready." line it leaves a marker.
prefixed() {
    local tag
    tag=$(printf '%-8s|' "$1")
    trap '' INT TERM
    exec awk -v tag="$tag " -v marker="${2:-}" '
        { print tag $0; fflush() }
        marker != "" && / ready\.$/ { printf "" > marker; close(marker) }'
}

# start NAME CMD...: runs CMD in the background with prefixed output; $! is CMD's pid. The pipe
# is opened here, in this shell, so the prefixer is our child and not the service's.
start() {
    local name=$1 marker=""
    shift
    [ "$name" = worker ] && marker=$worker_ready
    local out
    exec {out}> >(prefixed "$name" "$marker")
    printers+=("$!")
    "$@" >&"$out" 2>&1 </dev/null &
    exec {out}>&-
}

# supervise NAME CMD...: runs CMD and starts it again whenever it exits, until this (a
# background subshell of run.sh) is told to stop with SIGTERM, which it passes on to CMD.
supervise() {
    local name=$1 child=0 delay=1 status started
    shift
    trap 'trap "" TERM INT; [ "$child" -eq 0 ] || { kill -TERM "$child"; wait "$child"; }; exit 0' TERM INT
    while :; do
        started=$SECONDS
        "$@" &
        child=$!
        status=0
        wait "$child" || status=$?
        child=0
        # A run that lasted a minute was healthy: the next death starts from 1 s again.
        ((SECONDS - started >= 60)) && delay=1
        # Ctrl-C reaches the whole group: a worker that stopped because everything stops is not
        # started again.
        [ -e "$stopping" ] && exit 0
        say "the $name exited (status $status): starting it again in ${delay}s"
        sleep "$delay" &
        wait $! || true
        [ -e "$stopping" ] && exit 0
        delay=$((delay * 2 > RESTART_MAX_DELAY ? RESTART_MAX_DELAY : delay * 2))
    done
}

declare -A pids=()
printers=()

stop_all() {
    trap '' INT TERM
    { : >"$stopping"; } 2>/dev/null || true
    [ ${#pids[@]} -gt 0 ] || return 0
    say "stopping ${!pids[*]}"
    kill -TERM "${pids[@]}" 2>/dev/null || true
    local deadline=$((SECONDS + 30)) name
    while [ $SECONDS -lt $deadline ] && any_alive "${pids[@]}"; do sleep 0.2; done
    for name in "${!pids[@]}"; do
        if kill -0 "${pids[$name]}" 2>/dev/null; then
            say "$name did not stop within 30 s: killing it"
            # A supervised one: what it supervises first, or it would outlive its supervisor.
            pkill -KILL -P "${pids[$name]}" 2>/dev/null || true
            kill -KILL "${pids[$name]}" 2>/dev/null || true
        fi
    done
    wait "${pids[@]}" 2>/dev/null || true
    pids=()
    # The prefixers end once the services' output closes; waiting for them keeps the last lines
    # before the shell prompt.
    wait "${printers[@]}" 2>/dev/null || true
    say "stopped"
}

any_alive() {
    local pid
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
    return 1
}

first_dead() {
    local name
    for name in "${!pids[@]}"; do
        kill -0 "${pids[$name]}" 2>/dev/null || { echo "$name"; return 0; }
    done
    return 1
}

all_answer() {
    # A direct opener: a proxy from the environment must not stand between us and 127.0.0.1.
    "$PY" -c 'import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    for url in sys.argv[1:]:
        opener.open(url, timeout=2).close()
except Exception:
    sys.exit(1)' "$@"
}

trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

say "preparing the database, static files and the sandbox's demo data"
mkdir -p "$(dirname "$worker_ready")"
rm -f "$worker_ready" "$stopping"
start seed "$PY" -m sandbox seed --size "${SANDBOX_SIZE:-demo}" --db "$sandbox_db"
pids[seed]=$!
# One process for both: Django's start-up is most of their cost when there is nothing to do.
DJANGO_SETTINGS_MODULE=dashboard.settings "$PY" -c 'import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)'
wait "${pids[seed]}" || { say "seeding the sandbox failed (see above)" >&2; exit 1; }
unset 'pids[seed]'

start sandbox "$PY" -m sandbox serve --host "$SANDBOX_HOST" --port "$SANDBOX_PORT" --db "$sandbox_db"
pids[sandbox]=$!
start web .venv/bin/gunicorn --config dashboard/gunicorn.conf.py dashboard.wsgi
pids[web]=$!
# The threads pool: job tasks wait on HTTP, and a worker process killed by the kernel (OOM)
# leaves no pool process behind wedged on a lock it held (the prefork pool's failure).
start worker supervise worker .venv/bin/celery --app dashboard worker --loglevel INFO --pool threads \
    --concurrency "${CELERY_CONCURRENCY:-8}" --without-gossip --without-mingle
pids[worker]=$!
# Beat sends the periodic tasks (scheduled key revocations) for the worker to run. Its own
# process, as in compose.yaml, so that stopping waits for it like the others (a beat embedded
# in the worker with --beat outlives the worker's main process for a moment).
start beat supervise beat .venv/bin/celery --app dashboard beat --loglevel INFO \
    --schedule "$var_dir/celerybeat-schedule"
pids[beat]=$!

worker_is_ready() {
    # The marker comes from the worker's INFO line "... ready."; quieter log levels hide it.
    case ${LOG_LEVEL:-INFO} in
        [Dd][Ee][Bb][Uu][Gg] | [Ii][Nn][Ff][Oo]) [ -e "$worker_ready" ] ;;
        *) kill -0 "${pids[worker]}" 2>/dev/null ;;
    esac
}

deadline=$((SECONDS + START_TIMEOUT))
# The worker is the slowest to start: probing HTTP only once it is ready keeps the logs quiet.
until worker_is_ready && all_answer "${console_url}healthz" "${sandbox_url}openapi.json"; do
    if dead=$(first_dead); then
        say "the $dead stopped while starting (its output is above)" >&2
        exit 1
    fi
    if [ $SECONDS -ge $deadline ]; then
        say "not everything answered within ${START_TIMEOUT}s (output above)" >&2
        exit 1
    fi
    sleep 0.25
done

cat <<EOF

  Switchboard is running: $console_url
  The sandbox (platform emulator) is at $sandbox_url (API description: ${sandbox_url}openapi.json)
EOF
if [ "$PLATFORM_URL" = "${sandbox_url}connextlive" ]; then
    cat <<EOF
  Sign in with a demo account of the sandbox (password switchboard-demo for each):
    manager@example.com   manager of the demo workspace
    agent@example.com     agent of the demo workspace
    other@example.com     manager of a second workspace
EOF
else
    echo "  Platform: $PLATFORM_URL"
fi
printf '  Press Ctrl-C to stop.\n\n'

# Runs until Ctrl-C/SIGTERM (the traps above) or until the console or the sandbox exits on its own
# (the worker and beat are started again by their supervisors).
status=0
wait -n "${pids[@]}" || status=$?
say "the $(first_dead || echo '?') exited (status $status): stopping the others" >&2
exit 1
