#!/usr/bin/env bash
# docs/examples/team-playbook.yml, the team playbook docs/roles.md shows, run as a team would run it: from a directory
# of its own outside the collection, with its own inventory and variable names, against two stand-in clusters. The
# Secret is read back from each cluster; a second run changes nothing; no token shows in the output. The copy in
# docs/roles.md must be this file, line for line.
set -eu -o pipefail

. "$(dirname "$0")/../setup_common/setup.sh"
. "$(dirname "$0")/../setup_session/setup.sh"
. "$(dirname "$0")/../setup_kube_standin/setup.sh"

echo "== docs/roles.md shows docs/examples/team-playbook.yml as it is"
"$PY" "$HERE/files/check_roles_doc.py" "$COLLECTION/docs/roles.md" "$COLLECTION/docs/examples/team-playbook.yml"

for c in team-eu team-us; do bash "$CTL" start "$WORK/k8s" "$c" agents; done
mkdir -p "$WORK/alice/.claude" "$WORK/team"
session "$WORK/alice/.claude/.credentials.json" 20h CANARYTEAM
cp "$COLLECTION/docs/examples/team-playbook.yml" "$WORK/team/site.yml"
cat > "$WORK/team/inventory.ini" <<INI
[build_workstations]
alice-ws ansible_connection=local ansible_python_interpreter=$PY
INI
cat > "$WORK/team/vars.yml" <<YAML
team_claude_home: $WORK/alice/.claude
team_clusters:
  team-eu: $WORK/k8s/team-eu/kubeconfig
  team-us: $WORK/k8s/team-us/kubeconfig
team_secret: agent-credentials
team_namespace: agents
YAML
team() { (cd "$WORK/team" && ansible-playbook site.yml -i inventory.ini -e @vars.yml "$@"); }

echo "== the team's playbook publishes to both clusters, under the team's names"
team --diff -v > "$WORK/run1.log" 2>&1 || { tail -30 "$WORK/run1.log"; exit 1; }
for c in team-eu team-us; do
  k "$c" secret-data agents agent-credentials .credentials.json | cmp - "$WORK/alice/.claude/.credentials.json"
done
grep -q '"team-eu: created"' "$WORK/run1.log"

echo "== a second run changes nothing"
team > "$WORK/run2.log" 2>&1 || { tail -30 "$WORK/run2.log"; exit 1; }
grep -q '"team-eu: unchanged"' "$WORK/run2.log"
grep -Eq '^localhost +: ok=[0-9]+ +changed=0 ' "$WORK/run2.log"
grep -Eq '^alice-ws +: ok=[0-9]+ +changed=0 ' "$WORK/run2.log"

echo "== a team variable of the wrong type is one error, before anything is written"
k team-eu clear
# A list of cluster names where the playbook maps a name to a kubeconfig.
printf 'team_clusters: [team-eu, team-us]\n' > "$WORK/team/bad.yml"
if team -e @"$WORK/team/bad.yml" > "$WORK/bad.log" 2>&1; then echo "expected a failure"; exit 1; fi
grep -q "dict2items requires a dictionary" "$WORK/bad.log" || { tail -20 "$WORK/bad.log"; exit 1; }
# And a value the role's spec refuses: one message naming the role's variable.
printf 'team_namespace: {a: b}\n' > "$WORK/team/bad2.yml"
if team -e @"$WORK/team/bad2.yml" > "$WORK/bad2.log" 2>&1; then echo "expected a failure"; exit 1; fi
grep -q "claudeops_secret_namespace" "$WORK/bad2.log" || { tail -20 "$WORK/bad2.log"; exit 1; }
k team-eu requests  # none at all

sweep
echo "role_reuse: all checks passed"
