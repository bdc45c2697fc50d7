# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):

    # The bound on a session's expiry where credentials are published (claude_secret, claude_secret_store); the
    # capture side (claude_session_facts) and the monitor (thresholds) word it for their own outcome.
    DOCUMENTATION = r'''
options:
  session_max_lifetime:
    description:
      - A session (O(files)) whose expiry, from C(claudeAiOauth.expiresAt) or O(expires_at), lies further ahead than
        this is refused before anything is written, with the reason (a clock that runs ahead, or a file
        C(claude login) did not write) and the fix. An access token lives about 8 hours.
      - A number followed by C(w), C(d), C(h), C(m) or C(s), such as C(48h). A long-lived token keeps its year.
    type: str
    default: 48h
'''
