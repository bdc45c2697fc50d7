# Part of the event_driven integration target (runme.sh runs it): both rulebooks pass ansible-rulebook's schema and parser.
import sys
import yaml
from ansible_rulebook import rules_parser
from ansible_rulebook.validators import Validate
for path in sys.argv[1:]:
    data = yaml.safe_load(open(path))
    Validate.rulebook(data)
    rules_parser.parse_rule_sets(data)
