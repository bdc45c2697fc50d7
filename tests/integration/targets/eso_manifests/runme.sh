#!/usr/bin/env bash
# docs/stores.md's External Secrets Operator manifests against ESO's own CRDs (#28 item 4): the external-secrets.io
# CRDs of ESO v0.16.2 (the release docs/stores.md names as the oldest that serves external-secrets.io/v1; from the Go
# module proxy, which go mod download checks against Go's checksum database) applied to a real kube-apiserver, then
# every ClusterSecretStore and ExternalSecret on the page applied with server-side field validation Strict, so the
# API server checks each against the CRD's schema: fields, types, enums, required properties, unknown fields.
# What the schema guards against is planted once each and refused.
set -eu -o pipefail

. "$(dirname "$0")/../setup_kube_apiserver/setup.sh"
ESO_VERSION=v0.16.2
module="$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "github.com/external-secrets/external-secrets@$ESO_VERSION" \
  | "$PY" -c 'import json, sys; print(json.load(sys.stdin)["Dir"])')"
CRDS="$module/config/crds/bases"
start_kube_apiserver eso
KC="$WORK/apiserver/eso/kubeconfig"
kc() { kubectl --kubeconfig "$KC" "$@"; }

echo "== ESO $ESO_VERSION's CRDs on the API server"
kc apply --server-side -f "$CRDS/external-secrets.io_clustersecretstores.yaml" \
  -f "$CRDS/external-secrets.io_externalsecrets.yaml" > "$WORK/crds.log"
kc wait --for condition=established --timeout=60s crd/clustersecretstores.external-secrets.io \
  crd/externalsecrets.external-secrets.io > /dev/null
kc get crd externalsecrets.external-secrets.io -o jsonpath='{.spec.versions[?(@.storage==true)].name}' | grep -qx v1

echo "== every manifest of docs/stores.md, applied with field validation Strict"
mkdir -p "$WORK/docs"
counts="$("$PY" "$HERE/files/manifests.py" "$COLLECTION/docs/stores.md" "$WORK/docs")"
[ "$counts" = "ClusterSecretStore=4 ExternalSecret=4" ] || { echo "docs/stores.md has $counts, not a pair per backend"; exit 1; }
for manifest in "$WORK"/docs/*.yaml; do
  kc apply --server-side --field-manager=docs --validate=strict -f "$manifest" > "$WORK/apply.log" 2>&1 \
    || { echo "the API server refused $(basename "$manifest"):"; cat "$WORK/apply.log"; exit 1; }
done
for store in vault infisical aws onepassword; do
  kc get clustersecretstore "$store" -o jsonpath='{.spec.provider}' | grep -q "\"$store\"" \
    || { echo "the store $store is not stored as applied"; exit 1; }
done
# The ExternalSecrets share one name (a reader picks one backend): the last applied, onepassword's, is stored whole.
kc get externalsecret -n claude claude-session -o jsonpath='{.spec.data[0].remoteRef.decodingStrategy} {.spec.target.template.mergePolicy}' \
  | grep -qx 'Base64 Merge'

echo "== what the CRDs refuse, planted once each"
refused() {  # refused NAME TEXT SED: a copy of a manifest with SED applied is refused, saying TEXT
  local from="$1" text="$2" planted="$WORK/planted.yaml"
  sed "$3" "$WORK/docs/$from" > "$planted"
  cmp -s "$planted" "$WORK/docs/$from" && { echo "the plant changed nothing in $from"; exit 1; }
  if kc apply --server-side --field-manager=docs --validate=strict -f "$planted" > "$WORK/planted.log" 2>&1; then
    echo "the API server accepted what ESO's CRD refuses ($text):"; cat "$planted"; exit 1
  fi
  grep -qF -- "$text" "$WORK/planted.log" || { echo "refused, but not for: $text"; cat "$WORK/planted.log"; exit 1; }
}
infisical="$(basename "$WORK"/docs/*-ClusterSecretStore-infisical.yaml)"
external="$(basename "$WORK"/docs/*-ExternalSecret-vault.yaml)"
aws="$(basename "$WORK"/docs/*-ClusterSecretStore-aws.yaml)"
# The project named by its ID, as claude_secret_store takes it, where ESO wants the slug (#28 item 4).
refused "$infisical" '.spec.provider.infisical.secretsScope.projectId: field not declared in schema' 's/projectSlug:/projectId:/'
refused "$infisical" 'spec.provider.infisical.secretsScope.projectSlug: Required value' '/projectSlug:/d'
refused "$external" 'Unsupported value: "base64"' 's/decodingStrategy: Base64/decodingStrategy: base64/'
refused "$external" '.spec.target.template.mergePolicyy: field not declared in schema' 's/mergePolicy:/mergePolicyy:/'
refused "$aws" 'spec.provider.aws.service: Unsupported value: "Secrets Manager"' 's/service: SecretsManager/service: Secrets Manager/'
echo "eso_manifests: docs/stores.md's four pairs pass ESO $ESO_VERSION's CRDs on a real API server"
