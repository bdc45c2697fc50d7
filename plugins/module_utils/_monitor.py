# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Expiry monitoring: one status record per capture host and per cluster, judged by what the credential is.

A long-lived token (``claude setup-token``) lives a year and nothing renews it: it is judged by its expiry against
``warning_within``/``critical_within`` (weeks). A session's access token lives about 8 hours and whoever holds its
refresh token renews it, so its expiry says little: a session with a refresh token is healthy whether or not its
access token has expired. What can go wrong with a session is that a newer one appeared on a capture host (Claude
Code there refreshed it, or someone logged in again) and did not reach the cluster: the capture that should have
published it did not run or failed. That is ``stale`` once the newer session has waited longer than the capture
interval plus a grace. A session without a refresh token has nothing to renew it and is judged by its access token
against ``session_warning_within``/``session_critical_within`` (minutes).
"""

from __future__ import annotations

import hashlib
import json
import re

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import (
    CREDENTIALS_FILE,
    SESSION_MAX_LIFETIME,
    redact_server_text,
    too_far_ahead,
)
from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._session import USABLE_STATUSES
from ansible_collections.claudeops.credentials.plugins.module_utils._table import markdown_table
from ansible_collections.claudeops.credentials.plugins.module_utils._time import (
    describe_seconds,
    iso_utc,
    iso_utc_ms,
    parse_duration,
    parse_iso_utc,
)

# Worst first.
MONITOR_STATUSES = ('missing', 'expired', 'stale', 'critical', 'warning', 'healthy')
FAILING = ('missing', 'expired', 'stale', 'critical')
ALERT_NAME = 'ClaudeOAuthTokenExpiry'
ALERT_SOURCE = 'claudeops.credentials'
# How long a session's access token lives after Claude Code refreshed it: only used to date a source session whose
# file time is unknown.
SESSION_LIFETIME = 8 * 3600

# Threshold option -> default. Long-lived token: a month's notice to run `claude setup-token` again, critical a
# week before. Session without a refresh token: its access token's last hour, critical in the last 15 minutes.
# Sessions with a refresh token: stale when a newer one waited longer than the capture interval plus the grace
# (the shipped AWX schedule captures every 6 hours; 2 hours absorb a queued or slow capture job).
THRESHOLD_DEFAULTS = (
    ('warning_within', '30d'),
    ('critical_within', '7d'),
    ('session_warning_within', '1h'),
    ('session_critical_within', '15m'),
    ('session_max_lifetime', SESSION_MAX_LIFETIME),
    ('capture_interval', '6h'),
    ('capture_grace', '2h'),
)


def thresholds(values, names=None):
    """Seconds for every threshold in ``values`` (defaults for the ones not given). An error names the option, or
    the variable ``names`` maps it to, and says how to fix it."""
    names = names or {}
    out = {}
    for key, default in THRESHOLD_DEFAULTS:
        value = values.get(key)
        out[key] = parse_duration(default if value is None or value == '' else value, names.get(key, key))
    for warn, crit in (('warning_within', 'critical_within'), ('session_warning_within', 'session_critical_within')):
        if out[crit] > out[warn]:
            raise InputError('%s (%s) is longer than %s (%s): nothing could ever be warning. Make %s the shorter.'
                             % (names.get(crit, crit), describe_seconds(out[crit]), names.get(warn, warn),
                                describe_seconds(out[warn]), names.get(crit, crit)), names.get(crit, crit), 'thresholds')
    if out['capture_interval'] <= 0:
        raise InputError('%s must be longer than 0, such as 6h (how often the capture job runs).'
                         % names.get('capture_interval', 'capture_interval'), names.get('capture_interval',
                                                                                        'capture_interval'), 'thresholds')
    return out


def expiry_status(expires_at, now, warning, critical, present=True):
    """Status of one hard expiry: ``missing`` (no credentials), ``expired``, ``critical`` (within ``critical``
    seconds), ``warning`` (within ``warning``), else ``healthy``."""
    epoch = parse_iso_utc(expires_at) if isinstance(expires_at, str) else expires_at
    if not present or epoch is None:
        return 'missing'
    remaining = epoch - now
    if remaining <= 0:
        return 'expired'
    if remaining <= critical:
        return 'critical'
    if remaining <= warning:
        return 'warning'
    return 'healthy'


def record(source, kind, status, expires_at=None, now=0, detail='', credential=None):
    """The status record of the contract, plus ``kind`` (host or cluster), ``credential`` (session, token or
    null) and ``detail`` (why, for people)."""
    epoch = parse_iso_utc(expires_at) if isinstance(expires_at, str) else expires_at
    remaining = None if epoch is None or status == 'missing' else epoch - now
    return {
        'source': source,
        'kind': kind,
        'credential': credential,
        'expires_at': iso_utc(epoch) if remaining is not None else None,
        'days_remaining': None if remaining is None else round(remaining / 86400.0, 2),
        'hours_remaining': None if remaining is None else round(remaining / 3600.0, 1),
        'is_expired': status == 'expired',
        'needs_refresh': status != 'healthy',
        'status': status,
        # An error can quote what it was given, or what a server sent: only plain_text reaches a report, a table or
        # an alert.
        'detail': plain_text(detail),
    }


def _worse(*statuses):
    return min(statuses, key=MONITOR_STATUSES.index)


def session_status(expires, now, refreshable, th):
    """A session's status from its access token, and the sentence that explains a non-obvious one."""
    far = too_far_ahead('the session', expires, now, th['session_max_lifetime'],
                        'The next capture of a real session replaces it.') if expires is not None else None
    if far:  # never healthy, refresh token or not: nothing newer would be published over it
        return 'critical', far
    if refreshable:
        if expires is not None and expires <= now:
            return 'healthy', ('the access token expired at %s; the refresh token renews it on first use'
                               % iso_utc(expires))
        return 'healthy', ''
    status = expiry_status(expires, now, th['session_warning_within'], th['session_critical_within'])
    return status, 'a session without a refresh token: nothing renews it when its access token expires'


def host_record(host, facts, now, th):
    """The record of one capture host from its ``claude_session`` facts (None: no facts)."""
    if not facts:
        return record(host, 'host', 'missing', detail='no session facts: host unreachable or the capture failed')
    status = facts.get('status')
    creds = facts.get('credentials') or {}
    if status in ('missing', 'invalid'):
        return record(host, 'host', 'missing', credential='session',
                      detail='%s: %s' % (status, ' '.join(facts.get('problems') or [])))
    if status == 'busy':  # written while it was read: the next capture reads it
        return record(host, 'host', 'warning', credential='session',
                      detail='busy: %s' % ' '.join(facts.get('problems') or []))
    expires = parse_iso_utc(creds.get('expires_at'))
    if creds.get('has_refresh_token') and expires is not None and expires <= now:
        # Idle: Claude Code on the host renews it when next used. Capture does not publish it until then.
        return record(host, 'host', 'warning', expires, now, credential='session', detail=(
            'the access token expired at %s; Claude Code on %s renews it when next used (run `claude -p "test"` '
            'there). Until then capture does not publish it. If a consumer already used this refresh token, log in '
            'again' % (iso_utc(expires), host)))
    status, detail = session_status(expires, now, creds.get('has_refresh_token'), th)
    return record(host, 'host', status, expires, now, credential='session', detail=detail)


def session_sources(facts_by_host):
    """``[(host, expires_at, since)]`` for every capture host holding a well-formed session: its access token's
    expiry and when the file was written (epoch seconds). An expired one counts too: Claude Code there refreshed it
    after the published one, so the refresh token the cluster holds is spent."""
    out = []
    for host in sorted(facts_by_host):
        facts = facts_by_host[host] or {}
        if facts.get('status') not in USABLE_STATUSES + ('expired',):
            continue
        expires = parse_iso_utc((facts.get('credentials') or {}).get('expires_at'))
        if expires is None:
            continue
        since = None
        for entry in facts.get('files') or []:
            if entry.get('name') == CREDENTIALS_FILE:
                since = parse_iso_utc(entry.get('mtime'))
        out.append((host, expires, since if since is not None else expires - SESSION_LIFETIME))
    return out


def last_captures(heartbeats):
    """``{cluster: epoch}``: the latest capture that reached each cluster, from the ``claudeops_last_capture``
    facts capture-tokens.yml leaves on the source host (kept between jobs by a fact cache, as AWX's)."""
    out = {}
    for beat in heartbeats:
        if not isinstance(beat, dict):
            continue
        at = parse_iso_utc(beat.get('at'))
        for name in beat.get('clusters') or []:
            if at is not None and at > out.get(name, -1):
                out[name] = at
    return out


def staleness(published, sources, now, th, last_capture=None):
    """How a published session compares with the captures: ``(status, detail)``, status ``healthy``, ``warning``
    (longer than one capture interval) or ``stale`` (longer than the interval plus the grace: captures stopped or
    fail). Two signs, the worse wins: the last capture that reached the cluster (when a fact cache keeps it), and a
    newer session on a capture host that has waited since its file was written."""
    limit = th['capture_interval'] + th['capture_grace']
    found = []
    if last_capture is not None:
        waited = now - last_capture
        what = 'the last capture reached this cluster at %s, %s ago' % (
            iso_utc(last_capture), describe_seconds(waited))
        if waited > limit:
            found.append(('stale', '%s, longer than the capture interval plus grace (%s): captures stopped or fail. '
                                   'Run capture-tokens.yml and check its schedule' % (what, describe_seconds(limit))))
        elif waited > th['capture_interval']:
            found.append(('warning', '%s, longer than one capture interval (%s)'
                                     % (what, describe_seconds(th['capture_interval']))))
    found.append(_newer_session(published, sources, now, th, limit))
    status = _worse(*(s for s, _d in found))
    return status, '. '.join(d for s, d in found if d and (s == status or status == 'healthy'))


def _newer_session(published, sources, now, th, limit):
    newer = [(min(since, now), host, expires) for host, expires, since in sources if expires > published]
    if not newer:
        return 'healthy', ''
    since, host, expires = min(newer)
    waited = now - since
    what = ('a newer session on %s (written %s, expires %s) has waited %s to be published'
            % (host, iso_utc(since), iso_utc(expires), describe_seconds(waited)))
    if waited > limit:
        return 'stale', ('%s, longer than the capture interval plus grace (%s): captures are not running or fail. '
                         'Run capture-tokens.yml and check its schedule' % (what, describe_seconds(limit)))
    if waited > th['capture_interval']:
        return 'warning', '%s, longer than one capture interval (%s)' % (what, describe_seconds(th['capture_interval']))
    return 'healthy', '%s; the next capture publishes it' % what


def cluster_record(info, now, th, sources=(), last_capture=None):
    """The record of one cluster from its ``claude_secret_info`` entry, ``sources`` from :func:`session_sources`,
    ``last_capture`` (epoch or None) from :func:`last_captures`."""
    name = info.get('name')
    if info.get('error'):
        return record(name, 'cluster', 'missing', detail=info['error'])
    if not info.get('exists'):
        detail = 'no Secret %s/%s' % (info.get('namespace'), info.get('secret'))
        if info.get('namespace_exists') is False:
            detail += ' (the namespace does not exist)'
        return record(name, 'cluster', 'missing', detail=detail)
    if info.get('status') == 'missing':  # present, but holding no credential key
        return record(name, 'cluster', 'missing', detail=info.get('detail') or 'the Secret holds no credentials')
    kind = info.get('kind') or 'session'
    stale_pods = ['%s/%s' % (w['kind'], w['name']) for w in info.get('workloads') or [] if not w.get('current')]
    notes = ['pods not on the current credentials: %s' % ', '.join(stale_pods)] if stale_pods else []
    expires = parse_iso_utc(info.get('expires_at'))
    if expires is None:
        notes.insert(0, 'expiry unknown (no claudeops.io/expires-at)')
        return record(name, 'cluster', 'warning', credential=kind, detail='. '.join(notes))
    if kind == 'token':
        status = expiry_status(expires, now, th['warning_within'], th['critical_within'])
    else:
        status, why = session_status(expires, now, info.get('refreshable'), th)
        fresh, why_fresh = staleness(expires, sources, now, th, last_capture)
        status = _worse(status, fresh)
        notes = [n for n in (why_fresh, why) if n] + notes
    return record(name, 'cluster', status, expires, now, credential=kind, detail='. '.join(notes))


def store_record(info, now):
    """The record of one secret store from its ``claude_secret_info`` ``stores`` entry."""
    name = info.get('name')
    if info.get('error'):
        return record(name, 'store', 'missing', detail=info['error'])
    if not info.get('exists'):
        return record(name, 'store', 'missing', detail=info.get('detail') or 'nothing stored')
    expires = parse_iso_utc(info.get('expires_at'))
    if expires is None:
        return record(name, 'store', 'warning', credential=info.get('kind'), detail=info.get('detail') or '')
    return record(name, 'store', info['status'], expires, now, credential=info.get('kind'),
                  detail=info.get('detail') or '')


def overall_status(records):
    """The worst status of ``records`` (MONITOR_STATUSES); ``healthy`` when there is none."""
    if not records:
        return 'healthy'
    return _worse(*(r['status'] for r in records))


def events(records, resolved=True, labels=None):
    """One ``firing`` alert event per problem record and, with ``resolved``, one ``resolved`` event per healthy
    record. Nothing is remembered between runs: the receiver keeps the alert state, as Alertmanager and Keep do,
    and closes an alert when its source reports resolved (a resolved event for an alert that never fired is a
    no-op there). So a monitor run from AWX, which keeps no file between jobs, resolves what it should.

    Each event carries the ``fingerprint`` of its source (:func:`alert_id`), the same in every run and every
    status, so a receiver groups repeats and the resolved event closes the alert that fired. ``labels`` are static
    labels of the operator's (team, environment), added to each event's labels and to the fingerprint."""
    labels = check_labels(labels)
    out = []
    for rec in records:
        if rec['status'] == 'healthy' and not resolved:
            continue
        firing = rec['status'] != 'healthy'
        event_labels = dict(labels)
        event_labels.update({'credential_source': rec['source'], 'kind': rec['kind'], 'state': rec['status']})
        out.append({'name': ALERT_NAME, 'status': 'firing' if firing else 'resolved',
                    'severity': ('warning' if rec['status'] == 'warning' else 'critical') if firing else 'info',
                    'description': plain_text(describe(rec)), 'source': ALERT_SOURCE,
                    'fingerprint': alert_id(rec['kind'], rec['source'], labels),
                    'credential': rec.get('credential'), 'expires_at': rec.get('expires_at'),
                    'labels': event_labels})
    return out


# Alert receivers (claudeops_alert_format): what each one's API accepts, and the path of that API on its server.
ALERT_FORMATS = {'keep': '/alerts/event', 'alertmanager': '/api/v2/alerts', 'generic': ''}
# Labels every event has; the operator's static labels cannot replace them.
_OWN_LABELS = ('alertname', 'credential_source', 'kind', 'state')
_LABEL_NAME = re.compile(r'^[a-zA-Z_][a-zA-Z0-9_]*$')


def _alert_config_error(msg, option):
    """Alert settings that no receiver could accept."""
    return InputError(msg, option, 'alert_config')


def check_labels(labels, name='claudeops_alert_labels'):
    """The operator's static labels as ``{str: str}``, or an error that says which one is wrong and how to fix it.
    Alertmanager's label names are ``[a-zA-Z_][a-zA-Z0-9_]*`` and its values strings; the same rule holds for every
    format, so switching receivers never breaks a working configuration."""
    if labels in (None, ''):
        return {}
    if not isinstance(labels, dict):
        raise _alert_config_error('%s must be a mapping of label names to strings, such as {team: platform}; got %s.'
                                  % (name, type(labels).__name__), name)
    out = {}
    for key, value in sorted(labels.items()):
        if not isinstance(key, str) or not _LABEL_NAME.match(key):
            raise _alert_config_error('%s: %r is not a label name; use letters, digits and _, not starting with a '
                                      'digit (Alertmanager\'s rule).' % (name, key), name)
        if key in _OWN_LABELS:
            raise _alert_config_error('%s: %s is set by the monitor itself; choose another name.' % (name, key), name)
        if isinstance(value, (dict, list)) or value is None:
            raise _alert_config_error('%s: the value of %s must be a string, such as "platform".' % (name, key), name)
        out[key] = str(value)
    return out


def alert_id(kind, source, labels=None):
    """A stable id per credential source (and the operator's static labels): the same in every run and status."""
    text = json.dumps([ALERT_SOURCE, kind, source, sorted((labels or {}).items())], sort_keys=True)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]


# An absolute file path: two or more components after a slash that does not follow a word, '.', ':' or '/' (so
# a URL's host and path stay), or a Windows drive path.
_PATH = re.compile(r'(?<![\w.:/])/(?:[^\s/\'"`]+/)+[^\s\'"`]*|\b[A-Za-z]:\\[^\s\'"`]*')


# Foreign text (an API server's, a store's or a receiver's message) in a record: what a reader could follow, render
# or use is taken out before it reaches a report, a table or an alert.
_IMAGE = re.compile(r'!\[[^\]]*\]\([^)]*\)')
_LINK = re.compile(r'\[([^\]]*)\]\([^)]*\)')
# A URL keeps its host and port, which say where, and loses its scheme and path: not a link any more.
_URL = re.compile(r'\b[A-Za-z][A-Za-z0-9+.-]*://(?:[^/\s@]*@)?([^/\s;,)\]]+)[^\s;,)\]]*')
_SECRET_SHAPES = re.compile(
    r'(?i:bearer)\s+\S+|(?i:basic)\s+[A-Za-z0-9+/=]{8,}'  # an Authorization header's credential
    r'|eyJ[\w-]+\.[\w-]+(?:\.[\w-]*)?'                  # a JWT (1Password Connect's tokens among them)
    r'|\bhv[sbr]\.[\w.-]+'                              # a Vault token
    r'|\bs\.[A-Za-z0-9]{20,}'                            # an old Vault token
    r'|(?i:sk(?:%2D|-)ant(?:%2D|-))[^\s"\'`]*'           # a Claude token, percent-encoded or not
    r'|\b(?:AKIA|ASIA)[A-Z0-9]{16}')                      # an AWS access key id
_UNC = re.compile(r'\\\\[^\s\\]+\\[^\r\n|"\'`<>]*')
# A drive path runs to its last backslash-separated part, spaces included ("C:\Users\Jane Doe\.kube\config").
_DRIVE = re.compile(r'\b[A-Za-z]:\\(?:[^\\\r\n|"\'`<>]*\\)*[^\s\\|"\'`<>]*')
MAX_DETAIL = 600


def plain_text(text):
    """``text`` as one short line a report, a Markdown table or an alert can carry: no image, no link (a link's
    text stays; a URL becomes its host and port), no credential of any shape known here, no file path, no
    newline; at most MAX_DETAIL characters."""
    text = str(text or '')
    text = _IMAGE.sub('', text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _URL.sub(lambda m: m.group(1), text)
    text = _UNC.sub('[path]', text)  # paths before tokens: a path goes whole, whatever it holds
    text = _DRIVE.sub('[path]', text)
    text = _PATH.sub('[path]', text)
    text = _SECRET_SHAPES.sub('[redacted]', text)
    text = redact_server_text(text)
    text = ' '.join(text.split())
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL - 3] + '...'


def alert_url(url, fmt):
    """The receiver's URL, with its API path added when only the server was given (``https://keep.example.com``)."""
    if fmt not in ALERT_FORMATS:
        raise _alert_config_error('claudeops_alert_format: %r is not one of %s.' % (fmt, ', '.join(sorted(ALERT_FORMATS))),
                                  'claudeops_alert_format')
    url = (url or '').strip()
    if not re.match(r'^https?://[^/\s]+', url):
        example = {'keep': 'https://keep.example.com', 'alertmanager': 'https://alertmanager.example.com:9093'}
        raise _alert_config_error('claudeops_alert_webhook: %r is not an http(s) URL, such as %s.'
                                  % (plain_text(url), example.get(fmt, 'https://hooks.example.com/claude')),
                                  'claudeops_alert_webhook')
    head, sep, rest = url.partition('://')
    host, _slash, path = rest.partition('/')
    if ALERT_FORMATS[fmt] and path.strip('/') == '':
        return head + sep + host + ALERT_FORMATS[fmt]
    return url


def _alertmanager_alert(event, stamp, ends):
    """One event as an Alertmanager alert: the source and static labels as its labels, the rest annotations; a
    firing alert ends at ``ends`` unless sent again, a resolved one at ``stamp`` (now)."""
    labels = dict((k, v) for k, v in event['labels'].items() if k != 'state')
    labels['alertname'] = event['name']
    where = event['labels']
    annotations = {'summary': '%s %s: %s' % (where['kind'], where['credential_source'], where['state']),
                   'description': event['description'], 'severity': event['severity'],
                   'state': where['state'], 'fingerprint': event['fingerprint']}
    annotations.update((key, event[key]) for key in ('credential', 'expires_at') if event.get(key))
    alert = {'labels': labels, 'annotations': annotations}
    if event['status'] == 'firing':
        alert.update(startsAt=stamp, endsAt=ends)
    else:
        alert['endsAt'] = stamp
    return alert


def alert_requests(alert_events, fmt, url, now, ttl):
    """The HTTP requests that deliver ``alert_events`` to a receiver of format ``fmt``: ``[{url, body, label}]``.

    - ``keep``: one ``POST /alerts/event`` per event with the fields Keep's ``AlertDto`` requires (``id``, ``name``,
      ``status``, ``lastReceived``, ``source`` as a non-empty list); ``fingerprint`` groups repeats, and a later
      ``lastReceived`` with ``status: resolved`` closes the alert.
    - ``alertmanager``: one ``POST /api/v2/alerts`` with every event. Alertmanager's fingerprint is the label set,
      so the labels are the source and the operator's static labels only; severity, state and the description are
      annotations (a warning that turns critical stays one alert). A firing alert ends ``ttl`` seconds from now
      unless a later run sends it again (set it longer than the monitor's schedule); a resolved one ends now.
    - ``generic``: one POST per event, the event as it is.
    """
    target = alert_url(url, fmt)
    stamp = iso_utc_ms(now)
    if fmt == 'alertmanager':
        alerts = [_alertmanager_alert(event, stamp, iso_utc_ms(now + ttl)) for event in alert_events]
        if not alerts:
            return []
        return [{'url': target, 'body': alerts, 'label': '%d alerts' % len(alerts)}]
    out = []
    for event in alert_events:
        label = '%s %s %s' % (event['status'], event['severity'], event['labels']['credential_source'])
        if fmt == 'keep':
            body = {'id': event['fingerprint'], 'fingerprint': event['fingerprint'], 'name': event['name'],
                    'status': event['status'], 'severity': event['severity'], 'lastReceived': stamp,
                    'source': [event['source']], 'description': event['description'],
                    'message': event['description'], 'service': 'claude-code', 'labels': event['labels']}
        else:
            body = event
        out.append({'url': target, 'body': body, 'label': label})
    return out


_ADVICE = {
    'token': 'run `claude setup-token` and publish the new token (publish-oauth-token.yml)',
    'session': 'capture again (capture-tokens.yml), or publish a long-lived token',
}


def capture_record(host, failure=None):
    """The record of a capture that a login on ``host`` started (kind ``capture``): critical with ``failure`` (why it
    failed), else healthy, so that the next capture that succeeds resolves the alert of the one that failed."""
    if failure:
        return record(host, 'capture', 'critical', detail=failure)
    return record(host, 'capture', 'healthy')


def describe(rec):
    """One sentence for any record, whatever it lacks."""
    where = '%s %s' % (rec.get('kind') or 'source', rec.get('source'))
    detail = rec.get('detail') or ''
    tail = (': ' + detail) if detail else ''
    status = rec['status']
    if rec.get('kind') == 'capture':
        if status == 'healthy':
            return 'The capture that a login on %s started reached the clusters.' % rec.get('source')
        return ('The capture that a login on %s started failed%s. The clusters keep what they held until a capture '
                'succeeds (the next login there, or the scheduled capture).' % (rec.get('source'), tail))
    if status == 'missing':
        return 'Claude Code credentials on %s are missing%s.' % (where, tail)
    if status == 'stale':
        return 'Claude Code credentials on %s are stale%s.' % (where, tail)
    if status == 'expired':
        return 'Claude Code credentials on %s expired at %s%s.' % (where, rec.get('expires_at') or 'an unknown time',
                                                                   tail)
    if rec.get('expires_at') is None or rec.get('hours_remaining') is None:
        return 'Claude Code credentials on %s have no known expiry%s.' % (where, tail)
    advice = 'healthy' if status == 'healthy' else _ADVICE.get(rec.get('credential'), _ADVICE['session'])
    return 'Claude Code credentials on %s (%s) expire at %s (%.1f hours left): %s%s.' % (
        where, rec.get('credential') or 'credentials', rec['expires_at'], rec['hours_remaining'], advice,
        ('; ' + detail) if detail else '')


COLUMNS = (('source', 'Source'), ('kind', 'Kind'), ('credential', 'Credential'), ('status', 'Status'),
           ('expires_at', 'Expires at'), ('days_remaining', 'Days left'), ('detail', 'Detail'))


def markdown(records, generated_at):
    """The status report as a Markdown document."""
    lines = ['# Claude Code credentials status', '', 'Generated %s.' % generated_at, '']
    return '\n'.join(lines + markdown_table(records, COLUMNS)) + '\n'
