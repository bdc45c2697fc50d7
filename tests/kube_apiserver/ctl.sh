#!/usr/bin/env bash
# A real kube-apiserver with a one-member etcd of its own, on free loopback ports (built by build.sh from the Go
# module proxy; make kube-apiserver, or the first start here, builds it).
#
#   ctl.sh start DIR [newest|older]   start one (the newest release we build, or the one at least two minors older)
#                                     with its state under DIR, and write:
#                                       DIR/kubeconfig     the admin (system:masters), context "admin"
#                                       DIR/kubeconfig-ns  a user allowed only in namespace claude (which exists):
#                                                          secrets, and get/patch on Deployments, StatefulSets and
#                                                          DaemonSets; context "ns"
#                                       DIR/ca.pem, DIR/port, DIR/version, DIR/tokens (both tokens, one per line)
#   ctl.sh stop DIR                   stop it: kube-apiserver first, then its etcd (an API server whose etcd is gone
#                                     kept its graceful shutdown going for 12 minutes), SIGKILL after 30 s each
#
# Its own CA and serving certificate, static-token authentication, RBAC, the default admission plugins; on loopback,
# so without the endpoint reconciler (v1.37 refuses a loopback advertise address for it); no
# controller manager, scheduler or kubelet: objects are stored as the API server stores them and nothing reconciles
# them (no pod runs, a finalizer stays, a deleted namespace stays Terminating). The tokens are random per start and
# written only into 0600 files under DIR; DIR/etcd holds every stored Secret, as on a real cluster.
set -eu -o pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILT="${CLAUDEOPS_KUBE_APISERVER_BUILD:-$ROOT/.build/kube-apiserver}"
PY="${PY:-python3}"
# shellcheck source=tests/integration/checks.sh
. "$ROOT/tests/integration/checks.sh"  # wait_for

usage() { sed -n '2,13p' "$0" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd="$1"; DIR="$2"; which="${3:-newest}"

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
alive() { local state; state="$(ps -o stat= -p "$1" 2> /dev/null || true)"; [ -n "$state" ] && [[ "$state" != Z* ]]; }
stop_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if alive "$pid"; then
    kill "$pid" 2> /dev/null || true
    wait_for 30 eval "! alive $pid" || { echo "pid $pid ignored SIGTERM for 30 s: SIGKILL"; kill -9 "$pid" 2> /dev/null || true; }
  fi
  rm -f "$file"
}
# start_on_free_port NAME READY CMD...: CMD in the background with PORT set, until READY succeeds;
# another port when the one picked was taken before the server bound it (3 tries). Writes DIR/NAME.pid.
start_on_free_port() {
  local name="$1" ready="$2" try pid; shift 2
  for try in 1 2 3; do
    PORT="$(free_port)"
    PORT="$PORT" "$@" > "$DIR/$name.log" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" > "$DIR/$name.pid"
    if wait_for "${WAIT:-30}" eval "$ready || ! alive $pid" && alive "$pid"; then
      return 0
    fi
    stop_pid "$DIR/$name.pid"
    grep -qi "address already in use" "$DIR/$name.log" || break
    echo "$name: port $PORT was taken before it bound it (try $try): trying another"
  done
  echo "$name did not start:"; tail -30 "$DIR/$name.log"
  return 1
}

case "$cmd" in
  stop)
    stop_pid "$DIR/apiserver.pid"
    stop_pid "$DIR/etcd.pid"
    exit 0
    ;;
  start) ;;
  *) usage ;;
esac

case "$which" in
  newest) binary=kube-apiserver ;;
  older) binary=kube-apiserver-older ;;
  *) usage ;;
esac
# make kube-apiserver links the binaries into the virtualenv (PATH), for the test copies, which have no .build
if command -v "claudeops-$binary" > /dev/null && command -v claudeops-etcd > /dev/null; then
  apiserver="$(command -v "claudeops-$binary")"; etcd="$(command -v claudeops-etcd)"
else
  apiserver="$BUILT/bin/$binary"; etcd="$BUILT/bin/etcd"
  [ -x "$apiserver" ] && [ -x "$etcd" ] || bash "$HERE/build.sh" "$BUILT"
fi
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
(cd "$DIR" && umask 077 \
  && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=claudeops-test-ca" \
  && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=kube-apiserver \
  && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
       -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost') \
  && openssl genrsa -out sa.key 2048 && openssl rsa -in sa.key -pubout -out sa.pub) > "$DIR/certs.log" 2>&1 \
  || { cat "$DIR/certs.log"; exit 1; }
admin="claudeops-test-admin-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
scoped="claudeops-test-ns-$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"
(umask 077
 printf '%s,claudeops-test-admin,claudeops-test-admin,system:masters\n%s,claudeops-test-ns,claudeops-test-ns\n' \
   "$admin" "$scoped" > "$DIR/tokens.csv"
 printf '%s\n%s\n' "$admin" "$scoped" > "$DIR/tokens"
 printf 'header = "Authorization: Bearer %s"\n' "$admin" > "$DIR/curl-auth")

# shellcheck disable=SC2016  # the single-quoted scripts expand in the bash -c they are given to, not here
start_on_free_port etcd "grep -q 'etcd ready on' '$DIR/etcd.log'" \
  bash -c 'exec "$0" "$1" "http://127.0.0.1:$PORT" "http://127.0.0.1:$2"' "$etcd" "$DIR/etcd" "$(free_port)"
etcd_port="$PORT"
# shellcheck disable=SC2016  # as above
WAIT=120 start_on_free_port apiserver \
  "curl -fs -o /dev/null --cacert '$DIR/ca.pem' -K '$DIR/curl-auth' \"https://127.0.0.1:\$PORT/readyz\"" \
  bash -c 'exec "$0" --etcd-servers="http://127.0.0.1:$1" --secure-port="$PORT" --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 --tls-cert-file="$2/server.crt" --tls-private-key-file="$2/server.key" \
    --token-auth-file="$2/tokens.csv" --authorization-mode=RBAC \
    --service-account-issuer=https://kubernetes.default.svc --service-account-key-file="$2/sa.pub" \
    --service-account-signing-key-file="$2/sa.key" --service-cluster-ip-range=10.0.0.0/24 --cert-dir="$2/certs" \
    --enable-priority-and-fairness=false --endpoint-reconciler-type=none' "$apiserver" "$etcd_port" "$DIR" \
  || { stop_pid "$DIR/etcd.pid"; exit 1; }
echo "$PORT" > "$DIR/port"
"$PY" - "$DIR" "$PORT" <<'EOF'
# DIR/kubeconfig (the admin) and DIR/kubeconfig-ns (the namespace-scoped user), 0600, tokens from DIR/tokens
import json
import os
import sys

d, port = sys.argv[1:3]
admin, scoped = open(os.path.join(d, 'tokens')).read().split()
for name, user, token in (('kubeconfig', 'admin', admin), ('kubeconfig-ns', 'ns', scoped)):
    doc = {'apiVersion': 'v1', 'kind': 'Config', 'current-context': user,
           'clusters': [{'name': 'real', 'cluster': {'server': 'https://127.0.0.1:%s' % port,
                                                     'certificate-authority': os.path.join(d, 'ca.pem')}}],
           'users': [{'name': user, 'user': {'token': token}}],
           'contexts': [{'name': user, 'context': {'cluster': 'real', 'user': user, 'namespace': 'claude'}}]}
    fd = os.open(os.path.join(d, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        json.dump(doc, handle)
EOF
api() {  # api METHOD PATH BODY: as the admin; fails unless 2xx
  curl -fsS -o /dev/null --cacert "$DIR/ca.pem" -K "$DIR/curl-auth" -X "$1" -H 'Content-Type: application/json' \
    "https://127.0.0.1:$PORT$2" -d "$3"
}
api POST /api/v1/namespaces '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"claude"}}'
api POST /apis/rbac.authorization.k8s.io/v1/namespaces/claude/roles '{"apiVersion":"rbac.authorization.k8s.io/v1",
  "kind":"Role","metadata":{"name":"claudeops-publisher"},"rules":[
  {"apiGroups":[""],"resources":["secrets"],"verbs":["get","list","create","patch","update","delete"]},
  {"apiGroups":["apps"],"resources":["deployments","statefulsets","daemonsets"],"verbs":["get","patch"]}]}'
api POST /apis/rbac.authorization.k8s.io/v1/namespaces/claude/rolebindings '{"apiVersion":"rbac.authorization.k8s.io/v1",
  "kind":"RoleBinding","metadata":{"name":"claudeops-publisher"},"subjects":[{"kind":"User","name":"claudeops-test-ns"}],
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"claudeops-publisher"}}'
"$apiserver" --version | awk '{print $2}' > "$DIR/version"
echo "kube-apiserver $(cat "$DIR/version") on https://127.0.0.1:$PORT ($DIR/kubeconfig, $DIR/kubeconfig-ns)"
