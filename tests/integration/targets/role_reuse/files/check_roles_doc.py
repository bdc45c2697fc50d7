# Part of the role_reuse integration target (runme.sh runs it): docs/roles.md shows docs/examples/team-playbook.yml as it is.
import re
import sys
doc, example = open(sys.argv[1]).read(), open(sys.argv[2]).read()
blocks = re.findall(r'```yaml\n(.*?)```', doc, re.S)
assert example in blocks, 'docs/roles.md does not show docs/examples/team-playbook.yml as it is'
