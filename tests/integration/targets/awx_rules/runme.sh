#!/usr/bin/env bash
# playbooks/awx/configure.yml against AWX's own rules (#28): the real playbook runs, with each awx.awx module it uses
# replaced by files/record.py, which records the arguments Ansible hands the module (what awx.awx would send AWX);
# files/awx_rules.py applies AWX's server-side rules to them (its docstring names where each rule comes from). Every
# credential type, credential, job template, schedule and execution environment passes, with all four store
# backends; a second run changes no input of a type in use; every capture interval AWX keeps in phase passes and
# the others are refused before anything is sent. Each rule is proven once by planting what it guards against.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
STUBS="$WORK/collections/ansible_collections/awx/awx/plugins/modules"
mkdir -p "$STUBS"
while read -r module; do
  { echo '#!/usr/bin/python'; sed "s/^MODULE = 'record'/MODULE = '$module'/" "$HERE/files/record.py"; } > "$STUBS/$module.py"
done < <(grep -oh 'awx\.awx\.[a-z_]*' "$COLLECTION/playbooks/awx/configure.yml" | sort -u | cut -d. -f3)
[ "$(find "$STUBS" -name '*.py' | wc -l)" -ge 8 ] || { ls "$STUBS"; exit 1; }
# Every backend, so that every store credential type and credential is sent.
cat > "$WORK/stores.yml" <<'EOF'
claudeops_awx_stores:
  - {name: infisical, backend: infisical, project_id: 6f1c0e7b-0000-4000-8000-000000000000}
  - {name: vault, backend: vault}
  - {name: aws, backend: aws_secretsmanager, region: eu-west-1}
  - {name: onepassword, backend: onepassword_connect, vault_id: 3kzfq5zv6hbv4k3jvbxmf6bq2e}
EOF
configure() {  # configure RECORD PLAYBOOK ARGS...: run the playbook, its awx.awx calls recorded in RECORD
  local record="$1" playbook="$2"; shift 2
  rm -f "$record"
  AWX_RULES_RECORD="$record" ANSIBLE_COLLECTIONS_PATH="$WORK/collections:${ANSIBLE_COLLECTIONS_PATH:-}" \
    ansible-playbook "$playbook" -e "@$WORK/stores.yml" "$@"
}
rules() { "$PY" "$HERE/files/awx_rules.py" "$1" "${2:-$HERE/files/released_types.json}" 2026-12-03; }
refused() {  # refused RECORD TEXT: the rules refuse RECORD, saying TEXT
  if rules "$1" > "$WORK/refused.out"; then echo "AWX's rules accepted what they must refuse ($2)"; exit 1; fi
  grep -qF -- "$2" "$WORK/refused.out" || { echo "refused, but not for: $2"; cat "$WORK/refused.out"; exit 1; }
}

echo "== configure.yml as it is: everything it sends passes AWX's rules"
configure "$WORK/sent.jsonl" "$COLLECTION/playbooks/awx/configure.yml" > "$WORK/configure.log" 2>&1 \
  || { tail -30 "$WORK/configure.log"; exit 1; }
rules "$WORK/sent.jsonl" || { tail -5 "$WORK/sent.jsonl"; exit 1; }
"$PY" - "$WORK/sent.jsonl" <<'EOP'
import json, sys
sent = [json.loads(line) for line in open(sys.argv[1])]
kinds = {}
for record in sent:
    kinds[record['module']] = kinds.get(record['module'], 0) + 1
# 3 types of ours + 3 store types; 4 credentials + 4 store credentials; 5 job templates; 2 schedules
want = {'credential_type': 6, 'credential': 8, 'job_template': 5, 'schedule': 2, 'execution_environment': 1,
        'project': 1, 'inventory': 1, 'group': 1}
assert kinds == want, kinds
EOP

echo "== run again, the credential types now in use: not one input changes (AWX would answer 403)"
configure "$WORK/again.jsonl" "$COLLECTION/playbooks/awx/configure.yml" > "$WORK/again.log" 2>&1 \
  || { tail -30 "$WORK/again.log"; exit 1; }
"$PY" - "$WORK/sent.jsonl" "$WORK/again.jsonl" > "$WORK/first-types.json" <<'EOP'
import json, sys
def types(path):
    return dict((r['args']['name'], r['args']['inputs']) for r in map(json.loads, open(path))
                if r['module'] == 'credential_type')
first, again = types(sys.argv[1]), types(sys.argv[2])
assert first == again, 'a second run sends other inputs: %s' % sorted(n for n in first if first[n] != again.get(n))
json.dump(first, sys.stdout, indent=1, sort_keys=True)
EOP
rules "$WORK/again.jsonl" "$WORK/first-types.json"

echo "== every capture interval AWX keeps in phase passes; the others are refused before anything is sent"
configure "$WORK/h8.jsonl" "$COLLECTION/playbooks/awx/configure.yml" -e claudeops_capture_interval_hours=8 \
  > "$WORK/h8.log" 2>&1 || { tail -20 "$WORK/h8.log"; exit 1; }
grep -q 'FREQ=HOURLY;INTERVAL=8"' "$WORK/h8.jsonl"
for hours in 1 2 3 4 6 8 12 24; do  # the schedule configure.yml sends, with each interval it accepts
  sed "s/FREQ=HOURLY;INTERVAL=8\"/FREQ=HOURLY;INTERVAL=$hours\"/" "$WORK/h8.jsonl" > "$WORK/h.jsonl"
  rules "$WORK/h.jsonl" > /dev/null || { rules "$WORK/h.jsonl"; exit 1; }
done
for hours in 5 48; do
  if configure "$WORK/bad.jsonl" "$COLLECTION/playbooks/awx/configure.yml" -e "claudeops_capture_interval_hours=$hours" \
      > "$WORK/bad.log" 2>&1; then echo "an interval of $hours hours was accepted"; exit 1; fi
  grep -q "claudeops_capture_interval_hours is $hours: use 1, 2, 3, 4, 6, 8, 12 or 24" "$WORK/bad.log" \
    || { tail -20 "$WORK/bad.log"; exit 1; }
  test ! -s "$WORK/bad.jsonl"  # nothing was sent
done

echo "== each rule proven once: what it guards against, planted, is refused"
# The rephase rule itself: intervals of 5 and 48 hours, as configure.yml sent them before the check above.
for hours in 5 48; do
  sed "s/FREQ=HOURLY;INTERVAL=6/FREQ=HOURLY;INTERVAL=$hours/" "$WORK/sent.jsonl" > "$WORK/h.jsonl"
  refused "$WORK/h.jsonl" "its runs every $((hours * 3600)) seconds lose their phase"
done
# One configure.yml with a mistake planted in each credential type, run once; each is refused for its own reason.
mkdir -p "$WORK/planted" && cp "$COLLECTION/playbooks/awx/"*.yml "$WORK/planted/"
planted="$WORK/planted/configure.yml"
# the label that broke every run (#28 item 1): in a flow mapping, the comma ends the label
sed -i 's/label: "Namespace (Vault Enterprise, HCP)"/label: Namespace (Vault Enterprise, HCP)/' "$planted"
sed -i 's/label: Connect token, secret: true/label: Connect token (a new label), secret: true/' "$planted"
sed -i 's/CLAUDEOPS_ALERT_TOKEN: !unsafe "{{ alert_token }}"/CLAUDEOPS_ALERT_TOKEN: !unsafe "{{ alert_tokn }}"/' "$planted"
sed -i 's/{id: api_url, type: string,/{id: api_url, type: boolean, secret: true,/' "$planted"
sed -i 's/ K8S_AUTH_KUBECONFIG: !unsafe/ ANSIBLE_K8S_AUTH_KUBECONFIG: !unsafe/' "$planted"
sed -i 's/{id: oauth_token, type: string/{id: 1oauth_token, type: string/; s/required: \[oauth_token\]/required: [1oauth_token]/' "$planted"
[ "$(diff "$planted" "$COLLECTION/playbooks/awx/configure.yml" | grep -c '^<')" = 7 ] || { diff "$planted" "$COLLECTION/playbooks/awx/configure.yml"; exit 1; }
configure "$WORK/planted.jsonl" "$planted" > "$WORK/planted.log" 2>&1 || { tail -20 "$WORK/planted.log"; exit 1; }
refused "$WORK/planted.jsonl" "'Claude store - HashiCorp Vault': inputs: Additional properties are not allowed ('HCP)' was unexpected)"
refused "$WORK/planted.jsonl" "'Claude store - 1Password Connect': its inputs differ from the released ones, and AWX answers 403 \"Modifications to inputs are not allowed for credential types that are in use\""
refused "$WORK/planted.jsonl" "CLAUDEOPS_ALERT_TOKEN uses an undefined field ('alert_tokn' is undefined)"
refused "$WORK/planted.jsonl" "secret not allowed for boolean type (api_url)"
refused "$WORK/planted.jsonl" "ANSIBLE_K8S_AUTH_KUBECONFIG may affect Ansible configuration"
refused "$WORK/planted.jsonl" "'1oauth_token' does not match"
sed 's/DTSTART;TZID=UTC:20260101T090000 /DTSTART:20260101T090000 /' "$WORK/sent.jsonl" > "$WORK/nozone.jsonl"
refused "$WORK/nozone.jsonl" "DTSTART without a zone"
sed 's/FREQ=DAILY;INTERVAL=1/FREQ=SECONDLY;COUNT=1000/' "$WORK/sent.jsonl" > "$WORK/secondly.jsonl"
refused "$WORK/secondly.jsonl" "INTERVAL required in rrule"
refused "$WORK/secondly.jsonl" "COUNT > 999 is unsupported"
refused "$WORK/secondly.jsonl" "SECONDLY is not supported"
sed 's/"credential_type": "Claude Code OAuth token"/"credential_type": "Claude Code OAuth tokens"/' "$WORK/sent.jsonl" > "$WORK/noref.jsonl"
refused "$WORK/noref.jsonl" "no credential type 'Claude Code OAuth tokens'"
echo "awx_rules: configure.yml passes AWX's rules, twice, for every interval it accepts"
