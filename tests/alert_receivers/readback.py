# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""readback.py keep|alertmanager URL: what the real receiver holds, read back through its own API, as JSON.

keep:          GET /alerts with X-API-KEY from $KEEP_KEY. Keep stores every event it received; this prints
               {"events": [...all...], "latest": {fingerprint: the event with the latest lastReceived}}, which is
               what Keep shows as the alert's state.
alertmanager:  GET /api/v2/alerts with basic auth from $AM_AUTH (user:password): the alerts Alertmanager holds
               as active (a resolved one is no longer listed).
The credentials come from the environment, never argv."""

from __future__ import annotations

import base64
import json
import os
import sys
import urllib.request


def get(url, headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as answer:
        return json.load(answer)


def main():
    kind, url = sys.argv[1], sys.argv[2].rstrip('/')
    if kind == 'keep':
        events = get(url + '/alerts', {'X-API-KEY': os.environ['KEEP_KEY']})
        latest = {}
        for event in events:
            held = latest.get(event['fingerprint'])
            if held is None or event['lastReceived'] >= held['lastReceived']:
                latest[event['fingerprint']] = event
        json.dump({'events': events, 'latest': latest}, sys.stdout)
    else:
        auth = base64.b64encode(os.environ['AM_AUTH'].encode()).decode()
        json.dump(get(url + '/api/v2/alerts', {'Authorization': 'Basic ' + auth}), sys.stdout)


if __name__ == '__main__':
    main()
