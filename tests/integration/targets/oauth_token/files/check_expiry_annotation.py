# Part of the oauth_token integration target (runme.sh runs it): the expiry annotation of the published token.
import datetime
import json
import sys
ann = json.loads(sys.argv[1])['annotations']
expires = datetime.datetime.fromisoformat(ann['claudeops.io/expires-at'].replace('Z', '+00:00'))
days = (expires - datetime.datetime.now(datetime.timezone.utc)).days
assert 363 <= days <= 365, days
