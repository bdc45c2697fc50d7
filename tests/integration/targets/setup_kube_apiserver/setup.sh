# shellcheck shell=bash
# setup_kube_apiserver: a real kube-apiserver (Kubernetes, built from the Go module proxy by make kube-apiserver:
# tests/kube_apiserver) with a one-member etcd of its own, for a runme.sh target. Declare
# needs/target/setup_kube_apiserver and source this file (it sources setup_common first).
#   start_kube_apiserver NAME   etcd and kube-apiserver on free loopback ports, state under WORK/apiserver/NAME:
#                               its own CA and serving certificate (ca.pem), an admin bearer token (registered for
#                               the sweep), NAME/kubeconfig (context NAME, namespace claude, which exists), NAME/port.
#                               RBAC on; no controller manager, scheduler or kubelet: objects are stored as the API
#                               server stores them, and nothing reconciles them (no pod ever runs, a finalizer stays).
#   ka NAME METHOD PATH [CURL ARGS...]   curl as that admin (token from a file, never argv); prints the body, then
#                               a last line "HTTP STATUS"
# Both stop on exit.
[ -z "${CLAUDEOPS_SETUP_APISERVER:-}" ] || return 0
CLAUDEOPS_SETUP_APISERVER=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
APISERVER_PIDS=()
# kube-apiserver first, then its etcd: an API server whose etcd is gone does not finish its graceful shutdown (it
# kept retrying for 12 minutes here). Each gets 30 s after SIGTERM, then SIGKILL: a target never hangs on exit.
_stop_kube_apiservers() {
  local i pid
  for ((i = ${#APISERVER_PIDS[@]} - 1; i >= 0; i--)); do
    pid="${APISERVER_PIDS[$i]}"
    kill "$pid" 2> /dev/null || continue
    wait_for 30 _exited "$pid" || { echo "pid $pid ignored SIGTERM for 30 s: SIGKILL"; kill -9 "$pid" 2> /dev/null || true; }
    wait "$pid" 2> /dev/null || true
  done
}
_exited() { local state; state="$(ps -o stat= -p "$1" 2> /dev/null || true)"; [ -z "$state" ] || [[ "$state" == Z* ]]; }
on_exit _stop_kube_apiservers

start_kube_apiserver() {
  local name="$1" dir bin token
  dir="$WORK/apiserver/$name"
  bin="$(command -v claudeops-kube-apiserver || true)"
  if [ -z "$bin" ] || ! command -v claudeops-etcd > /dev/null; then
    echo "kube-apiserver is not built: run make kube-apiserver (tests/kube_apiserver/build.sh)"; exit 1
  fi
  mkdir -p "$dir"
  (cd "$dir" && umask 077 \
    && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=claudeops-test-$name-ca" \
    && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver \
    && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
         -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost') \
    && openssl genrsa -out sa.key 2048 && openssl rsa -in sa.key -pubout -out sa.pub) > "$dir/certs.log" 2>&1 \
    || { cat "$dir/certs.log"; exit 1; }
  token="claudeops-test-admin-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
  secret "$token"
  (umask 077; echo "$token,claudeops-test-admin,claudeops-test-admin,system:masters" > "$dir/tokens.csv"
   printf 'header = "Authorization: Bearer %s"\n' "$token" > "$dir/curl-auth")
  # etcd's files hold every Secret the server stored, tokens in data included, as on a real cluster: the sweep
  # reads the rest of the run, and the target checks what the server stored through the API.
  secret_holder "$dir/tokens.csv" "$dir/curl-auth" "$dir/kubeconfig" "$dir/etcd"
  export APISERVER_DIR="$dir"
  on_free_port "$dir/etcd.log" _etcd_ready _run_etcd || { echo "etcd did not start"; exit 1; }
  APISERVER_PIDS+=("$ON_FREE_PORT_PID")
  echo "$PORT" > "$dir/etcd.port"
  ON_FREE_PORT_WAIT=120 on_free_port "$dir/apiserver.log" _apiserver_ready _run_apiserver \
    || { echo "kube-apiserver did not start"; tail -30 "$dir/apiserver.log"; exit 1; }
  APISERVER_PIDS+=("$ON_FREE_PORT_PID")
  echo "$PORT" > "$dir/port"
  TOKEN="$token" "$PY" "$(dirname "${BASH_SOURCE[0]}")/files/kubeconfig.py" "$dir" "$name" "$PORT"
  ka "$name" POST /api/v1/namespaces -H 'Content-Type: application/json' \
    -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"claude"}}' | tail -1 | grep -q "HTTP 201" \
    || { echo "kube-apiserver $name: cannot create the namespace claude"; exit 1; }
}
_run_etcd() {
  local peer
  peer="$(free_port)"
  exec claudeops-etcd "$APISERVER_DIR/etcd" "http://127.0.0.1:$PORT" "http://127.0.0.1:$peer"
}
_etcd_ready() { grep -q "etcd ready on" "$APISERVER_DIR/etcd.log"; }
_run_apiserver() {
  local d="$APISERVER_DIR"
  exec claudeops-kube-apiserver --etcd-servers="http://127.0.0.1:$(cat "$d/etcd.port")" --secure-port="$PORT" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --tls-cert-file="$d/server.crt" \
    --tls-private-key-file="$d/server.key" --token-auth-file="$d/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$d/sa.pub" \
    --service-account-signing-key-file="$d/sa.key" --service-cluster-ip-range=10.0.0.0/24 --cert-dir="$d/certs" \
    --enable-priority-and-fairness=false
}
_apiserver_ready() {
  curl -fs -o /dev/null --cacert "$APISERVER_DIR/ca.pem" -K "$APISERVER_DIR/curl-auth" "https://127.0.0.1:$PORT/readyz"
}
ka() {
  local d="$WORK/apiserver/$1"
  curl -s --cacert "$d/ca.pem" -K "$d/curl-auth" -X "$2" "https://127.0.0.1:$(cat "$d/port")$3" "${@:4}" \
    -w '\nHTTP %{http_code}\n'
}
