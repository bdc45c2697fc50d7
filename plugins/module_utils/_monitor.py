# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Expiry monitoring: one status record per capture host and per cluster, thresholds, alert events, tables."""

from __future__ import annotations

from ansible_collections.claudeops.credentials.plugins.module_utils._session import iso_utc, parse_iso_utc

# Worst first.
MONITOR_STATUSES = ('missing', 'expired', 'critical', 'warning', 'healthy')
FAILING = ('missing', 'expired', 'critical')
ALERT_NAME = 'ClaudeOAuthTokenExpiry'
ALERT_SOURCE = 'claudeops.credentials'


def classify(expires_at, now, warning, critical, present=True):
    """Status of one expiry: ``missing`` (no credentials), ``expired``, ``critical`` (within ``critical`` seconds),
    ``warning`` (within ``warning``), else ``healthy``."""
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


def record(source, kind, expires_at, now, warning, critical, present=True, detail=None):
    """The status record of the contract, plus ``kind`` (host or cluster) and ``detail`` (why, for people)."""
    epoch = parse_iso_utc(expires_at) if isinstance(expires_at, str) else expires_at
    status = classify(epoch, now, warning, critical, present)
    remaining = None if epoch is None or status == 'missing' else epoch - now
    return {
        'source': source,
        'kind': kind,
        'expires_at': iso_utc(epoch) if epoch is not None and status != 'missing' else None,
        'days_remaining': None if remaining is None else round(remaining / 86400.0, 2),
        'hours_remaining': None if remaining is None else round(remaining / 3600.0, 1),
        'is_expired': status == 'expired',
        'needs_refresh': status != 'healthy',
        'status': status,
        'detail': detail or '',
    }


def worst(records):
    if not records:
        return 'healthy'
    return min((r['status'] for r in records), key=MONITOR_STATUSES.index)


def events(records, resolved=True):
    """One ``firing`` alert event per problem record and, with ``resolved``, one ``resolved`` event per healthy
    record. Nothing is remembered between runs: the receiver keeps the alert state, as Alertmanager and Keep do,
    and closes an alert when its source reports resolved (a resolved event for an alert that never fired is a
    no-op there). So a monitor run from AWX, which keeps no file between jobs, resolves what it should."""
    out = []
    for rec in records:
        if rec['status'] == 'healthy' and not resolved:
            continue
        firing = rec['status'] != 'healthy'
        out.append({'name': ALERT_NAME, 'status': 'firing' if firing else 'resolved',
                    'severity': ('warning' if rec['status'] == 'warning' else 'critical') if firing else 'info',
                    'description': describe(rec), 'source': ALERT_SOURCE, 'labels': {
                        'credential_source': rec['source'], 'kind': rec['kind'], 'state': rec['status']}})
    return out


def describe(rec):
    """One sentence for any record, whatever it lacks."""
    where = '%s %s' % (rec.get('kind') or 'source', rec.get('source'))
    detail = rec.get('detail') or ''
    if rec['status'] == 'missing':
        return 'Claude Code credentials on %s are missing%s.' % (where, (': ' + detail) if detail else '')
    if rec['status'] == 'expired':
        return 'Claude Code credentials on %s expired at %s.' % (where, rec.get('expires_at') or 'an unknown time')
    if rec.get('expires_at') is None or rec.get('hours_remaining') is None:
        return 'Claude Code credentials on %s have no known expiry%s.' % (where, (': ' + detail) if detail else '')
    return 'Claude Code credentials on %s expire at %s (%.1f hours left): %s.' % (
        where, rec['expires_at'], rec['hours_remaining'],
        'healthy' if rec['status'] == 'healthy' else 'refresh them (capture again, or publish a long-lived token)')


COLUMNS = (('source', 'Source'), ('kind', 'Kind'), ('status', 'Status'), ('expires_at', 'Expires at'),
           ('days_remaining', 'Days left'), ('detail', 'Detail'))


def _cell(value):
    return '-' if value is None or value == '' else str(value)


def markdown(records, generated_at):
    lines = ['# Claude Code credentials status', '', 'Generated %s.' % generated_at, '',
             '| %s |' % ' | '.join(title for _key, title in COLUMNS),
             '|%s|' % '|'.join(' --- ' for _c in COLUMNS)]
    for rec in records:
        lines.append('| %s |' % ' | '.join(_cell(rec.get(key)).replace('|', '\\|') for key, _t in COLUMNS))
    return '\n'.join(lines) + '\n'
