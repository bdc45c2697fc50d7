# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""expiry_watch: the clusters' Secrets, polled read-only, as events for ansible-rulebook.

Every interval it reads the Secret on each cluster with the logic of claudeops.credentials.claude_secret_info (one
GET per cluster, in parallel; never a data value) and puts an event on the queue for each cluster whose status
changed: ``{"claudeops_expiry": {cluster, namespace, secret, status, previous, kind, refreshable, expires_at,
expires_in, detail, error}}``. The statuses are the monitor's (healthy, warning, critical, expired, missing, unknown,
unreachable), judged by the same thresholds. On the first poll it reports each cluster that is not healthy; a
cluster that becomes healthy again gives an event too (previous names what it was), so an alert can be resolved.

Arguments (those of claude_secret_info, with the same defaults):
  clusters:   the clusters, as claudeops_clusters ({name, kubeconfig, context, ...}). Required, or kubeconfig.
  name, namespace: the Secret (claude-session in claude).
  warning_within, critical_within, session_warning_within, session_critical_within: the thresholds.
  parallel, request_timeout, retries, validate_certs, ...: as for claude_secret_info.
  interval:   time between polls, as 30s, 5m or 1h (default 5m).

Example:
  sources:
    - claudeops.credentials.expiry_watch:
        clusters: "{{ claudeops_clusters }}"
        interval: 5m
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

# As in login_signal.py: the module_utils beside this file, from the ansible_collections/ tree it is in.
_COLLECTIONS_ROOT = __file__[:__file__.rindex('%sansible_collections%s' % (os.sep, os.sep))]
if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError  # noqa: E402
from ansible_collections.claudeops.credentials.plugins.module_utils._secret_info import (  # noqa: E402
    INFO_ARGUMENT_SPEC,
    run,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._signal import expiry_events, say  # noqa: E402
from ansible_collections.claudeops.credentials.plugins.module_utils._time import parse_duration  # noqa: E402


def settings(args):
    """(params for claude_secret_info's runner, interval in seconds), or InputError naming the argument."""
    args = dict(args)
    try:
        interval = parse_duration(args.pop('interval', '5m'), 'interval')
    except InputError as exc:
        raise InputError('expiry_watch: %s' % exc, 'interval', exc.code)
    if interval < 1:
        raise InputError('expiry_watch: interval must be at least 1s', 'interval')
    result = ArgumentSpecValidator(INFO_ARGUMENT_SPEC).validate(args)
    if result.error_messages:
        raise InputError('expiry_watch: %s' % '; '.join(result.error_messages))
    return result.validated_parameters, interval


async def main(queue: asyncio.Queue, args: dict[str, Any]) -> None:
    params, interval = settings(args)
    previous = None
    while True:
        try:
            records = (await asyncio.to_thread(run, params))['clusters']
        except Exception as exc:  # bad input (InputError) stops the source: the rulebook shows it once
            raise InputError('expiry_watch: %s' % exc, getattr(exc, 'option', None)) from None
        events, previous = expiry_events(previous, records)
        for event in events:
            say('expiry_watch', 'expiry_watch: %s is %s (was %s)' % (event['cluster'], event['status'], event['previous']))
            await queue.put({'claudeops_expiry': event})
        await asyncio.sleep(interval)
