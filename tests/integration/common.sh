# Sourced by the integration targets that use stand-in clusters, after they set HERE, PY and COLLECTION:
#   WORK   a scratch directory, removed on exit with every stand-in started under $WORK/k8s
#   CTL    tests/kube_standin/ctl.sh (start/stop stand-in clusters)
#   k C …  tests/kube_standin/kube.py for cluster C (log, secret, fault, deployment, …)
# A target may define extra_cleanup(), called first on exit.
# shellcheck shell=bash
WORK="$(mktemp -d)"
CTL="$COLLECTION/tests/kube_standin/ctl.sh"
KUBE="$COLLECTION/tests/kube_standin/kube.py"
export PYTHON="$PY"
_claudeops_cleanup() {
  if declare -F extra_cleanup > /dev/null; then extra_cleanup || true; fi
  bash "$CTL" stop "$WORK/k8s" || true
  rm -rf "$WORK"
}
trap _claudeops_cleanup EXIT
k() { "$PY" "$KUBE" "$WORK/k8s/$1" "${@:2}"; }
