# Part of the alert_receivers integration target (runme.sh runs it): alerts other tools sent first, which the monitor must leave alone.
import base64
import datetime
import json
import os
import sys
import urllib.request


def post(url, body, headers):
    req = urllib.request.Request(url, json.dumps(body).encode(), dict(headers, **{'Content-Type': 'application/json'}))
    urllib.request.urlopen(req, timeout=30).read()


now = datetime.datetime.now(datetime.timezone.utc)
stamp = now.strftime('%Y-%m-%dT%H:%M:%S.000Z')
# Another team's alert of the same name for a source of the same name, and another tool's alert.
post(sys.argv[1] + '/alerts/event', {'id': 'other-1', 'name': 'ClaudeOAuthTokenExpiry', 'status': 'firing',
     'lastReceived': stamp, 'source': ['other-team'], 'fingerprint': 'other-team-c-crit',
                                     'labels': {'credential_source': 'c-crit'}}, {'X-API-KEY': os.environ['KEEP_KEY']})
post(sys.argv[1] + '/alerts/event', {'id': 'disk-1', 'name': 'DiskFull', 'status': 'firing', 'lastReceived': stamp,
     'source': ['prometheus'], 'fingerprint': 'disk-1'}, {'X-API-KEY': os.environ['KEEP_KEY']})
if sys.argv[2]:
    auth = 'Basic ' + base64.b64encode(os.environ['AM_AUTH'].encode()).decode()
    ends = (now + datetime.timedelta(hours=2)).strftime('%Y-%m-%dT%H:%M:%S.000Z')
    post(sys.argv[2] + '/api/v2/alerts', [
        {'labels': {'alertname': 'ClaudeOAuthTokenExpiry', 'credential_source': 'c-crit', 'kind': 'cluster',
                    'team': 'other'}, 'startsAt': stamp, 'endsAt': ends},
        {'labels': {'alertname': 'DiskFull', 'instance': 'node1'}, 'startsAt': stamp, 'endsAt': ends}],
        {'Authorization': auth})
