# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # The expiry thresholds of each credential kind, shared by claude_secret_info and the token_records filter.
    DOCUMENTATION = r'''
options:
  warning_within:
    description: A long-lived token (C(claude setup-token)) is C(warning) this long (C(30d), C(12h)) before it expires.
    type: str
    default: 30d
  critical_within:
    description: A long-lived token is C(critical) this long before it expires.
    type: str
    default: 7d
  session_warning_within:
    description:
      - A session without a refresh token (nothing renews it) is C(warning) this long before its access token
        expires. A session with a refresh token is never judged by its access token, since whoever holds it renews it.
    type: str
    default: 1h
  session_critical_within:
    description: A session without a refresh token is C(critical) this long before its access token expires.
    type: str
    default: 15m
  session_max_lifetime:
    description:
      - A session whose expiry lies further ahead than this is C(critical), with the reason. Sessions live hours,
        so it comes from a clock that runs ahead or from a file C(claude login) did not write, and nothing newer
        would replace it. A long-lived token keeps its year.
    type: str
    default: 48h
'''
