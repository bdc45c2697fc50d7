# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This file holds documentation only. The work is done on the controller by
# plugins/action/claude_session_facts.py, which calls ansible.builtin / ansible.windows modules.

DOCUMENTATION = r'''
module: claude_session_facts
short_description: Inspect a Claude Code session on a Windows or POSIX host, without exposing its tokens
version_added: 0.1.0
description:
  - Finds the Claude Code session directory of a user on the target, looks at the session files, parses
    C(.credentials.json) and reports whether the credentials are present, readable, valid and not expired.
  - Runs as an action plugin. On Windows targets (any connection whose shell is PowerShell, that is C(winrm) with
    NTLM, Kerberos or CredSSP, C(psrp), or OpenSSH with the PowerShell shell) it calls
    M(ansible.windows.setup), M(ansible.windows.win_stat) and M(ansible.windows.slurp); on every other target
    it calls M(ansible.builtin.setup), M(ansible.builtin.stat) and M(ansible.builtin.slurp). No PowerShell of
    this collection runs on the target; all parsing happens on the controller.
  - "Remote round trips: one stat and one slurp per file in O(files) (two for the default single file). On Windows,
    one more for O(user) (C(ansible.windows.win_user_profile), in check mode); on POSIX, one C(setup) call limited to
    the environment when neither O(path) nor O(user) is set, unless C(ansible_env) is among the host's facts.
    Only when a file is missing are one or two more stats made, to tell a missing directory or an unknown
    user apart. The docs/capture.md table lists each path."
  - The read runs with C(no_log) on the play context, so no connection plugin (C(winrm) and C(psrp) at C(-vvvvv),
    C(ssh) at C(-vvv)) prints the file's content at any verbosity.
  - Any Windows shell (C(powershell), C(cmd)) over any connection (C(winrm), C(psrp), C(ssh)) takes the Windows path.
  - Files over 1 MiB are reported invalid and are never read.
  - On a Mac (the host's facts say C(Darwin), or, when none were gathered and the session file is missing, one
    C(ansible.builtin.setup) call limited to the platform facts says so) the session is read from the login
    Keychain as Claude Code keeps it, with C(security find-generic-password -s SERVICE -a ACCOUNT -w) through
    M(ansible.builtin.command), under C(no_log), its output kept on the controller. The file stays in use when the
    Keychain has no such item (Claude Code's own fallback). A Keychain that is locked or refuses gives its own
    status and fix (problem codes C(keychain_locked), C(keychain_denied), C(keychain_error)); then O(handoff) is
    read instead when it is there. The same checks as for a file apply (1 MiB, JSON, expiry, blanked). See
    docs/capture.md, macOS.
  - The facts never contain a token or any part of one. With O(content=true) the raw file content is returned
    in RV(content) and the whole task result is censored as if C(no_log) were set.
author:
  - claudeops maintainers (@claudeops)
options:
  path:
    description:
      - The session directory on the target.
      - Defaults on Windows to C(%USERPROFILE%\.claude), expanded on the target for the account the task runs as
        (C(become) included; cached facts are never used), then C(%CLAUDE_CONFIG_DIR%) when the first holds nothing;
        on POSIX to E(CLAUDE_CONFIG_DIR) of the connecting account when set there, else C(~/.claude).
        With O(user), the profile directory of that user instead.
      - On POSIX a leading C(~) or C(~user) is expanded on the target.
    type: str
  user:
    description:
      - Read the session of this account instead of the connecting one. The WinRM login is often an
        administrator, not the person who ran C(claude login).
      - On Windows the account as Windows names it (C(alice), C(CORP\alice), C(alice@corp.example.com) or a SID), and
        its profile folder is the one Windows records (C(ProfileList)), looked up with
        C(ansible.windows.win_user_profile) in check mode, which never creates a profile. When that profile's
        C(.claude) holds no session, the account's own E(CLAUDE_CONFIG_DIR) is read from its registry hive
        (C(ansible.windows.win_reg_stat), while the person is logged on). On POSIX it is C(~<user>/.claude).
      - Reading as the person with C(become_method=runas) instead of O(user) is recommended on Windows
        (docs/capture.md).
      - Ignored when O(path) is set.
      - An unknown account, or one without a profile on the host, gives status C(missing) with a problem naming it.
    type: str
  files:
    description:
      - Names of the files to look at inside the session directory. Only C(.credentials.json) is parsed; the
        others are checked for presence, size and readability.
    type: list
    elements: str
    default: ['.credentials.json']
  expiry_warning:
    description:
      - Credentials that expire within this duration get status C(expiring).
      - A number followed by C(w), C(d), C(h), C(m) or C(s), such as C(3d), C(12h), C(90m) or C(1d12h), or a
        plain number of seconds.
      - The default fits a session, whose access token lives about 8 hours after each refresh; a longer window
        (the old C(3d)) makes every session C(expiring).
    type: raw
    default: 1h
  session_max_lifetime:
    description:
      - A session whose C(expiresAt) lies further ahead than this is C(invalid), with the reason and the fix, and
        is never selected or published. An access token lives about 8 hours, so an expiry days ahead comes from a
        clock that runs ahead or from a file C(claude login) did not write.
      - Same syntax as O(expiry_warning). Raise it only if your sessions really live longer.
    type: raw
    default: 48h
  content:
    description:
      - Also return the base64 content of every file that was read, in RV(content), for a later publishing step.
        On a Mac the Keychain item's content is returned as C(.credentials.json).
      - The whole task result is then censored (as with C(no_log=true)); the facts are still set.
    type: bool
    default: false
  keychain_service:
    description:
      - The login Keychain service a Mac's session is read from.
      - Defaults to the one Claude Code uses for the environment of the account the task runs as
        C(Claude Code-credentials), or, when E(CLAUDE_CONFIG_DIR) is set there, C(Claude Code-credentials-) and the
        first 8 hex digits of the SHA-256 of that directory as written (E(CLAUDE_SECURESTORAGE_CONFIG_DIR) takes its
        place when set; set empty, it gives the plain name). With O(user) the environment is not read, so give the
        service when that person runs Claude Code with another directory.
      - The account is O(user), else E(USER) of the account the task runs as.
    type: str
  handoff:
    description:
      - On a Mac, a file the login hook wrote from the Keychain at the last C(claude login)
        (C(claudeops_login_hook_keychain_handoff)), read when the Keychain is locked or refuses over SSH. Same format
        as C(.credentials.json).
      - The facts then say RV(ansible_facts.claude_session.source=handoff) and the Keychain's refusal in
        RV(ansible_facts.claude_session.keychain.result).
    type: str
extends_documentation_fragment:
  - claudeops.credentials.attributes
  - claudeops.credentials.attributes.INFO_MODULE
  - claudeops.credentials.attributes.ACTION
attributes:
  facts:
    description: Action returns an C(ansible_facts) dictionary that will update existing host facts.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: [posix, windows]
notes:
  - macOS keeps Claude Code credentials in the login Keychain rather than in C(.credentials.json); this plugin reads
    them there (see the description). Over SSH the login keychain is often locked; docs/capture.md says what a team
    can do about it and what each way costs.
  - "Status, worst first: C(missing) (directory or a file absent) > C(invalid) (empty file, a directory in place of
    the file, unreadable, over 1 MiB, not JSON, no C(claudeAiOauth.accessToken), blanked tokens with
    C(expiresAt) 0 as left by a lost refresh-token race, C(expiresAt) missing or not a number) > C(expired) >
    C(busy) (being written while it was read, twice, a second apart; not used this time) >
    C(expiring) (within O(expiry_warning)) > C(healthy)."
seealso:
  - module: claudeops.credentials.claude_secret
  - module: ansible.windows.win_stat
  - module: ansible.windows.slurp
'''

EXAMPLES = r'''
- name: Inspect the session of the connecting account
  claudeops.credentials.claude_session_facts:

- name: Inspect alice's session on a Windows host reached as an administrator
  claudeops.credentials.claude_session_facts:
    user: alice
    expiry_warning: 12h

- name: Inspect a moved session directory and fail unless it is usable
  claudeops.credentials.claude_session_facts:
    path: /srv/claude
- name: Check the session
  ansible.builtin.assert:
    that: claude_session.status in ['healthy', 'expiring']
    fail_msg: "{{ claude_session.problems | join(' ') }}"
'''

RETURN = r'''
summary:
  description: One line naming the host, the session directory, the status and the problems.
  returned: always
  type: str
  sample: 'ws1: session at C:\\Users\\alice\\.claude is expired: C:\\Users\\alice\\.claude\\.credentials.json expired at 2026-01-24T06:18:47Z.'
fix:
  description: What the operator should do next, or C(nothing to do).
  returned: always
  type: str
  sample: run `claude logout` then `claude login` as alice on ws1, then `claude -p "test"` to confirm
remote_calls:
  description: Number of module calls made on the target.
  returned: always
  type: int
  sample: 2
content:
  description:
    - Base64 content of each file that was read, by file name. Contains the credentials.
    - The task result is censored when this is returned.
  returned: when O(content=true)
  type: dict
ansible_facts:
  description: Facts to add to the host's facts.
  returned: always
  type: complex
  contains:
    claude_session:
      description: What was found. This is a contract; its keys do not change.
      type: dict
      returned: always
      contains:
        path:
          description: The resolved session directory.
          type: str
          sample: C:\Users\alice\.claude
        files:
          description: One entry per name in O(files).
          type: list
          elements: dict
          contains:
            name:
              description: The file name.
              type: str
            path:
              description: The full path on the target.
              type: str
            exists:
              description: Whether something exists at the path.
              type: bool
            size:
              description: Size in bytes.
              type: int
            readable:
              description: Whether the file was read.
              type: bool
            mtime:
              description: Last modification, ISO 8601 UTC, or null.
              type: str
            sha256:
              description: SHA-256 of the content, or null when not read.
              type: str
        credentials:
          description: What C(.credentials.json) says, without any token.
          type: dict
          contains:
            kind:
              description: C(oauth) when a C(claudeAiOauth) object was found, else C(none).
              type: str
            valid:
              description: Whether the credentials are structurally usable (tokens present, expiry a time).
              type: bool
            expires_at:
              description: Expiry, ISO 8601 UTC, or null.
              type: str
              sample: '2026-01-24T06:18:47Z'
            expires_in:
              description: Seconds until expiry, negative once expired, or null.
              type: int
            has_refresh_token:
              description: Whether a refresh token is present.
              type: bool
            scopes:
              description: OAuth scopes.
              type: list
              elements: str
            subscription_type:
              description: Subscription type, such as C(max) or C(pro).
              type: str
            rate_limit_tier:
              description: Rate limit tier.
              type: str
        status:
          description: One of C(healthy), C(expiring), C(busy), C(expired), C(invalid), C(missing).
          type: str
          sample: healthy
        problems:
          description: Human-readable sentences, one per problem found.
          type: list
          elements: str
        problem_codes:
          description:
            - One code per entry of RV(ansible_facts.claude_session.problems), in the same order. Act on these
              codes; the sentences may be reworded, the codes stay.
            - Where the file is, C(directory_missing), C(no_account), C(never_logged_on), C(no_profile),
              C(access_denied), C(unexamined), C(file_missing), C(is_directory), C(not_regular),
              C(outside_directory), C(too_large), C(busy), C(unreadable), C(empty); what it holds,
              C(byte_order_mark), C(not_utf8), C(not_json), C(no_oauth), C(blanked), C(no_access_token),
              C(empty_access_token), C(empty_refresh_token), C(bad_expiry), C(expired), C(too_far_ahead),
              C(expiring); a Mac's Keychain, C(keychain_item_missing) (no item and no file), C(keychain_locked),
              C(keychain_denied), C(keychain_error).
          type: list
          elements: str
          sample: [no_profile]
        source:
          description:
            - Where the credentials were read from, C(file), C(keychain) (a Mac's login Keychain) or C(handoff)
              (the login hook's hand-off file, O(handoff)).
          type: str
          sample: keychain
        keychain:
          description: On a Mac, the Keychain item looked up and what came of it; null on other hosts.
          type: dict
          contains:
            service:
              description: The Keychain service.
              type: str
              sample: Claude Code-credentials
            account:
              description: The account.
              type: str
            result:
              description: C(found), or the problem code (C(keychain_item_missing), C(keychain_locked), ...).
              type: str
'''
