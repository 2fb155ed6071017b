#!/bin/sh
# The IT department's install, tested without a network:
#   deploy/tests/offline_install.sh dist/kaifaqu-VERSION-linux-x86_64.tar.gz
# Unpacks the bundle and runs install.sh inside a network namespace that has only loopback (so any
# attempt to reach the network fails, and with it the install), migrates against PostgreSQL reached
# through its Unix socket (a file, shared with the namespace), starts `kaifaqu serve` as installed
# and gets the login page. Needs root and `ip netns`; PostgreSQL's socket folder is PGSOCKET
# (default /var/run/postgresql) and trusts the user PGUSER (default postgres). Exit 0 on success.
set -eu
# the installation reads its own kaifaqu.env only (not a caller's test settings)
unset DJANGO_SETTINGS_MODULE DATABASE_URL

bundle=$(realpath "${1:?usage: $0 BUNDLE.tar.gz}")
socket=${PGSOCKET:-/var/run/postgresql}
pguser=${PGUSER:-postgres}
port=18765
namespace="kaifaqu-offline-$$"
database="kaifaqu_offline_$$"
work=$(mktemp -d)
server=""

step() { echo "== $(date +%T) $*"; }
in_namespace() { ip netns exec "$namespace" "$@"; }

cleanup() {
    [ -n "$server" ] && in_namespace kill "$server" 2>/dev/null || true
    ip netns delete "$namespace" 2>/dev/null || true
    psql -h "$socket" -U "$pguser" -d postgres -qc "DROP DATABASE IF EXISTS $database WITH (FORCE)" \
        >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

step "a network namespace with loopback only"
ip netns add "$namespace"
in_namespace ip link set lo up
if in_namespace python3 -c 'import socket; socket.create_connection(("192.0.2.1", 443), timeout=3)' \
    2>/dev/null; then
    echo "the namespace reaches the network: the test would prove nothing" >&2
    exit 1
fi

step "unpack and install $(basename "$bundle")"
tar -C "$work" -xzf "$bundle"
prefix="$work/prefix"
in_namespace "$work"/kaifaqu-*/install.sh "$prefix"

step "configure: PostgreSQL through $socket, a test host name"
psql -h "$socket" -U "$pguser" -d postgres -qc "CREATE DATABASE $database" >/dev/null
cat >> "$prefix/kaifaqu.env" <<CONFIG
DATABASE_URL=postgres://$pguser@/$socket/$database
KAIFAQU_ALLOWED_HOSTS=kaifaqu.test,127.0.0.1
KAIFAQU_BIND=127.0.0.1:$port
CONFIG
run() { in_namespace sh -c "set -a; . '$prefix/kaifaqu.env'; set +a; exec \"\$@\"" run "$@"; }

step "migrate"
run "$prefix/venv/bin/kaifaqu" migrate --noinput -v0

step "serve"
run "$prefix/venv/bin/kaifaqu" serve > "$work/serve.log" 2>&1 &
server=$!
fetch() {
    # as nginx forwards it: the client's Host and the https scheme; the status, then the body
    in_namespace "$prefix/venv/bin/python" - "$port" "$1" <<'FETCH'
import sys, urllib.error, urllib.request
port, path = sys.argv[1:]
request = urllib.request.Request(
    f"http://127.0.0.1:{port}{path}",
    headers={"Host": "kaifaqu.test", "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read().decode()
        print(response.status)
        sys.stdout.write(body)
except urllib.error.HTTPError as error:
    print(error.code)
except OSError:
    print("down")
FETCH
}
waited=0
status() { fetch "$1" | sed -n 1p; }
until [ "$(status /healthz)" = 200 ]; do
    waited=$((waited + 1))
    if [ "$waited" -gt 120 ] || ! kill -0 "$server" 2>/dev/null; then
        echo "the server did not answer /healthz:" >&2
        cat "$work/serve.log" >&2
        exit 1
    fi
    sleep 1
done

step "the login page"
page=$(fetch /accounts/login/)
if [ "$(echo "$page" | sed -n 1p)" != 200 ] || ! echo "$page" | grep -q 'name="password"'; then
    echo "no login page:" >&2
    echo "$page" | head -n 20 >&2
    exit 1
fi
stylesheet=$(echo "$page" | grep -o '/static/kaifaqu/app\.[0-9a-f]*\.css' | head -n 1)
if [ -z "$stylesheet" ] || [ "$(status "$stylesheet")" != 200 ]; then
    echo "the login page's stylesheet is not served: '$stylesheet'" >&2
    exit 1
fi
echo "offline install: the login page answers ($stylesheet served)"
