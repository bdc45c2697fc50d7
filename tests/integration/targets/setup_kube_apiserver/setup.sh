# shellcheck shell=bash
# setup_kube_apiserver: a real kube-apiserver (Kubernetes, built from the Go module proxy by make kube-apiserver:
# tests/kube_apiserver) with a one-member etcd of its own, for a runme.sh target. Declare
# needs/target/setup_kube_apiserver and source this file (it sources setup_common first).
#   start_kube_apiserver NAME [newest|older]   tests/kube_apiserver/ctl.sh start WORK/apiserver/NAME: etcd and
#                               kube-apiserver on free loopback ports, its own CA (ca.pem), NAME/kubeconfig (the admin),
#                               NAME/kubeconfig-ns (a user allowed only in namespace claude, which exists), NAME/port,
#                               NAME/version; both tokens registered for the sweep. RBAC on; no controller manager,
#                               scheduler or kubelet: objects are stored as the API server stores them, and nothing
#                               reconciles them (no pod ever runs, a finalizer stays, a deleted namespace stays
#                               Terminating).
#   ka NAME METHOD PATH [CURL ARGS...]   curl as that admin (token from a file, never argv); prints the body, then
#                               a last line "HTTP STATUS"
# Both stop on exit.
[ -z "${CLAUDEOPS_SETUP_APISERVER:-}" ] || return 0
CLAUDEOPS_SETUP_APISERVER=1
# shellcheck source=tests/integration/targets/setup_common/setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/../setup_common/setup.sh"
APISERVERS=()
CTL_APISERVER="$COLLECTION/tests/kube_apiserver/ctl.sh"
_stop_kube_apiservers() {
  local dir
  for dir in "${APISERVERS[@]}"; do PY="$PY" bash "$CTL_APISERVER" stop "$dir" || true; done
}
on_exit _stop_kube_apiservers

start_kube_apiserver() {
  local name="$1" which="${2:-newest}" dir
  dir="$WORK/apiserver/$name"
  mkdir -p "$dir"
  # etcd's files hold every Secret the server stored, tokens in data included, as on a real cluster: the sweep
  # reads the rest of the run, and the target checks what the server stored through the API.
  secret_holder "$dir/tokens.csv" "$dir/tokens" "$dir/curl-auth" "$dir/kubeconfig" "$dir/kubeconfig-ns" "$dir/etcd"
  APISERVERS+=("$dir")
  PY="$PY" bash "$CTL_APISERVER" start "$dir" "$which" > "$dir/ctl.log" 2>&1 || { cat "$dir/ctl.log"; exit 1; }
  local token
  while read -r token; do secret "$token"; done < "$dir/tokens"
  tail -1 "$dir/ctl.log"
}
ka() {
  local d="$WORK/apiserver/$1"
  curl -s --cacert "$d/ca.pem" -K "$d/curl-auth" -X "$2" "https://127.0.0.1:$(cat "$d/port")$3" "${@:4}" \
    -w '\nHTTP %{http_code}\n'
}
