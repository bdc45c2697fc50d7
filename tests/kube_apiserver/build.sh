#!/usr/bin/env bash
# build.sh OUT: build two real kube-apiservers and a one-member etcd into OUT/bin (make kube-apiserver): kube-apiserver
# at the newest release the Go module proxy serves (go.mod here, with etcd), and kube-apiserver-older at least two
# minors older (older/go.mod), from the modules pinned in their go.mod and go.sum, fetched from the Go module proxy.
# k8s.io/kubernetes cannot be built with `go install ...@version` (its go.mod points its staging modules at
# ./staging), so each go.mod requires it with every staging module replaced by its published release of the same
# minor (v1.37.2 -> v0.37.2), as projects that import k8s.io/kubernetes do (pin.sh writes them). A cold build
# compiles for about 11 CPU minutes per release; Go's build cache (~/.cache/go-build) makes later ones take seconds,
# and an unchanged source (same go.mod, go.sum, etcd main and this script) is not rebuilt at all, in any clone on
# this machine: the binaries are kept under ~/.cache/claudeops/kube-apiserver/STAMP and linked into OUT/bin.
set -eu -o pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$1"
command -v go > /dev/null || { echo "kube-apiserver: go is not installed (Go 1.26 or later builds it)"; exit 1; }
stamp="$(cat "$HERE/go.mod" "$HERE/go.sum" "$HERE/cmd/etcd/main.go" "$HERE/older/go.mod" "$HERE/older/go.sum" "$0" \
  | sha256sum | cut -c1-16)"
# The binaries are kept outside the checkout, under the stamp of their source, so that a fresh clone links them in
# (a build from Go's warm cache still took 28 s here, mostly linking); flock keeps two clones from building at once.
CACHE="${CLAUDEOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/claudeops}/kube-apiserver"
BUILT="$CACHE/$stamp"
BINARIES="kube-apiserver kube-apiserver-older etcd"
built() { local b; for b in $BINARIES; do [ -x "$BUILT/bin/$b" ] || return 1; done; }
link() {
  local b
  mkdir -p "$OUT/bin"
  for b in $BINARIES; do ln -sfn "$BUILT/bin/$b" "$OUT/bin/$b"; done
  echo "$stamp" > "$OUT/stamp"
}
versions() { echo "$("$OUT/bin/kube-apiserver" --version) and $("$OUT/bin/kube-apiserver-older" --version)"; }
if built; then
  link
  echo "kube-apiserver: $(versions) are built ($BUILT/bin)"
  exit 0
fi
mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock 9
if ! built; then
  rm -rf "$BUILT.tmp"
  mkdir -p "$BUILT.tmp/bin"
  # go_build MODULE_DIR OUTPUT PACKAGE...: with the version kube-apiserver reports (/version, kubectl version) set to
  # the release it is built from, not v0.0.0-master
  go_build() {
    local dir="$1" out="$2" kubernetes minor flags; shift 2
    kubernetes="$(awk '{for (i = 1; i < NF; i++) if ($i == "k8s.io/kubernetes" && $(i + 1) ~ /^v1\./) {print $(i + 1); exit}}' \
      "$dir/go.mod")"
    minor="${kubernetes#v1.}"; minor="${minor%%.*}"
    flags="-X k8s.io/component-base/version.gitVersion=$kubernetes -X k8s.io/component-base/version.gitMajor=1"
    flags="$flags -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
    echo "kube-apiserver: building $kubernetes into $BUILT/bin (minutes the first time, seconds from Go's cache)"
    (cd "$dir" && GOFLAGS=-mod=readonly go build -ldflags "$flags" -o "$out" "$@")
  }
  go_build "$HERE" "$BUILT.tmp/bin/" ./cmd/etcd k8s.io/kubernetes/cmd/kube-apiserver
  go_build "$HERE/older" "$BUILT.tmp/bin/kube-apiserver-older" k8s.io/kubernetes/cmd/kube-apiserver
  rm -rf "$BUILT"
  mv "$BUILT.tmp" "$BUILT"
fi
flock -u 9
link
echo "kube-apiserver: $(versions) built ($BUILT/bin)"
