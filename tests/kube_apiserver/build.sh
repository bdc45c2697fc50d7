#!/usr/bin/env bash
# build.sh OUT: build a real kube-apiserver and a one-member etcd into OUT/bin (make kube-apiserver), from the
# modules pinned in go.mod and go.sum, fetched from the Go module proxy. k8s.io/kubernetes cannot be built with
# `go install ...@version` (its go.mod points its staging modules at ./staging), so go.mod here requires it with
# each staging module replaced by its published release of the same minor (v1.36.3 -> v0.36.3), as projects that
# import k8s.io/kubernetes do. The first build compiles for about 11 CPU minutes (about 23 minutes of wall time here
# beside other work); Go's build cache (~/.cache/go-build) makes later ones take seconds, and an unchanged source
# (same go.mod, go.sum and etcd main) is not rebuilt at all.
set -eu -o pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="$1"
command -v go > /dev/null || { echo "kube-apiserver: go is not installed (Go 1.26 or later builds it)"; exit 1; }
stamp="$(cat "$HERE/go.mod" "$HERE/go.sum" "$HERE/cmd/etcd/main.go" "$0" | sha256sum | cut -c1-16)"
if [ -x "$OUT/bin/kube-apiserver" ] && [ -x "$OUT/bin/etcd" ] && [ "$(cat "$OUT/stamp" 2> /dev/null)" = "$stamp" ]; then
  echo "kube-apiserver: $("$OUT/bin/kube-apiserver" --version) is built ($OUT/bin)"
  exit 0
fi
kubernetes="$(awk '$1 == "k8s.io/kubernetes" {print $2}' "$HERE/go.mod")"
minor="${kubernetes#v1.}"; minor="${minor%%.*}"
mkdir -p "$OUT/bin"
rm -f "$OUT/stamp"
# The version kube-apiserver reports (/version, kubectl version): the release it is built from, not v0.0.0-master.
flags="-X k8s.io/component-base/version.gitVersion=$kubernetes -X k8s.io/component-base/version.gitMajor=1"
flags="$flags -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
echo "kube-apiserver: building $kubernetes and etcd into $OUT/bin (minutes the first time, seconds from Go's cache)"
(cd "$HERE" && GOFLAGS=-mod=readonly go build -ldflags "$flags" -o "$OUT/bin/" ./cmd/etcd \
  k8s.io/kubernetes/cmd/kube-apiserver)
echo "$stamp" > "$OUT/stamp"
echo "kube-apiserver: $("$OUT/bin/kube-apiserver" --version) built ($OUT/bin)"
