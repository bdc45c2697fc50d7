# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Durations (``3d``, ``12h``, ``1d12h``), ISO 8601 times in UTC, and short descriptions of a span of seconds."""

from __future__ import annotations

import datetime
import re

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError

_DURATION_UNITS = {'w': 604800, 'd': 86400, 'h': 3600, 'm': 60, 's': 1}
_DURATION_RE = re.compile(r'^\s*(?:(\d+)\s*([wdhms]))+\s*$')
_DURATION_PART_RE = re.compile(r'(\d+)\s*([wdhms])')


def parse_duration(value, option='duration'):
    """Seconds for ``3d``, ``12h``, ``90m``, ``45s``, ``1w``, ``1d12h`` or a plain number of seconds; InputError
    (code ``duration``) naming ``option`` otherwise."""
    if isinstance(value, bool):
        raise InputError('%s must be a duration such as 3d, 12h or 90m, not a boolean' % option, option, 'duration')
    if isinstance(value, (int, float)):
        if value < 0:
            raise InputError('%s must not be negative, got %s' % (option, value), option, 'duration')
        return int(value)
    text = str(value).strip().lower()
    if text.isdigit():
        return int(text)
    if not _DURATION_RE.match(text):
        raise InputError(
            "%s: '%s' is not a duration. Use a number followed by w, d, h, m or s, for example 3d, 12h, 90m or 1d12h."
            % (option, value), option, 'duration')
    return sum(int(n) * _DURATION_UNITS[u] for n, u in _DURATION_PART_RE.findall(text))


def iso_utc(epoch_seconds):
    """ISO 8601 UTC with a ``Z`` suffix and second precision, e.g. ``2026-01-24T06:18:47Z``."""
    moment = datetime.datetime.fromtimestamp(int(epoch_seconds), tz=datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def iso_utc_ms(epoch):
    """:func:`iso_utc` with milliseconds, ``2026-01-24T06:18:47.250Z``."""
    # Truncated, not rounded: rounding .9996 up to 1000 ms and wrapping it to 000 would move the time back a second.
    return '%s.%03dZ' % (iso_utc(int(epoch))[:-1], int((epoch - int(epoch)) * 1000))


def parse_iso_utc(text):
    """Parse the ISO 8601 form :func:`iso_utc` writes (and offsets) back to epoch seconds; None when unparseable."""
    if not text or not isinstance(text, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return int(moment.timestamp())


def iso_utc_or_far(epoch):
    """:func:`iso_utc`, or a phrase for a time past the year 9999, which ISO 8601 cannot write."""
    try:
        return iso_utc(epoch)
    except (OverflowError, OSError, ValueError):
        return 'a time past the year 9999'


def describe_seconds(seconds):
    """Short human form: ``2d 3h``, ``5h 10m``, ``42s``."""
    seconds = int(abs(seconds))
    parts = []
    for unit, size in (('d', 86400), ('h', 3600), ('m', 60)):
        if seconds >= size:
            parts.append('%d%s' % (seconds // size, unit))
            seconds %= size
    if not parts:
        parts.append('%ds' % seconds)
    return ' '.join(parts[:2])
