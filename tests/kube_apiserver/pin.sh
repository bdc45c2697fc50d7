#!/usr/bin/env bash
# pin.sh VERSION DIR: (re)write DIR/go.mod and DIR/go.sum requiring k8s.io/kubernetes VERSION, each of its staging
# modules replaced by the published release of the same minor (v1.37.2 -> v0.37.2), as projects that import
# k8s.io/kubernetes do, and whatever else DIR's Go files import (go mod tidy). How the release build.sh builds is
# moved: `bash pin.sh v1.37.2 .` for the newest, `bash pin.sh v1.35.4 older` for the older one.
set -eu -o pipefail
version="$1"; dir="$2"
cache="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v"
GOFLAGS=-mod=mod go mod download "k8s.io/kubernetes@$version"
staging="v0.${version#v1.}"
keep="$(sed -n '/^require (/,/^)/p' "$dir/go.mod" 2> /dev/null | grep -v 'indirect\|k8s.io/kubernetes\|^require (\|^)' || true)"
{
  sed -n '1,/^go /p' "$dir/go.mod" 2> /dev/null | grep -q . && sed -n '1,/^go /p' "$dir/go.mod" \
    || printf 'module claudeops.test/kubeapiserver\n\ngo 1.26.0\n'
  printf '\nrequire (\n%s\n\tk8s.io/kubernetes %s\n)\n\nreplace (\n' "$keep" "$version" | sed '/^$/{N;/^\n\t/s/^\n//}'
  grep '=> ./staging' "$cache/$version.mod" | awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
  echo ")"
} > "$dir/go.mod.new"
mv "$dir/go.mod.new" "$dir/go.mod"
(cd "$dir" && go mod tidy)
