# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""A Mac's Claude Code session, kept in the login Keychain instead of a file.

Facts this module builds on, each from public sources:

- Claude Code on macOS keeps ``{"claudeAiOauth": ...}`` as a generic password of the login Keychain: service
  ``Claude Code-credentials``, account the user's login name. It writes ``~/.claude/.credentials.json`` only when the
  Keychain is not writable (Claude Code's authentication documentation, code.claude.com/docs/en/authentication).
- The service name gets a suffix when a config directory is set: ``-`` and the first 8 hex digits of the SHA-256 of
  the directory as given (not resolved, not stripped of a trailing ``/``), after Unicode NFC normalisation. The
  suffix is added whenever ``CLAUDE_CONFIG_DIR`` is set, even to the default ``~/.claude``;
  ``CLAUDE_SECURESTORAGE_CONFIG_DIR``, when set, replaces it as the hashed directory, and set empty it gives the
  plain name. Read from Claude Code's service-name builder as quoted in robinebers/openusage#424 and
  sirmalloc/ccstatusline#521 and #573, confirmed by a controlled experiment there and by
  ``security dump-keychain`` in beeblock/orkestrai#27. Published vectors: ``/Users/test/.claude-work`` gives
  ``Claude Code-credentials-03abf0ee``, ``/Users/test/.claude-work/`` gives ``Claude Code-credentials-8bd6f0f5``.
- ``security find-generic-password -s SERVICE -a ACCOUNT -w`` prints the password on standard output, as hex when
  any byte of it is not printable, and exits with the low byte of the OSStatus it met: 44 for
  errSecItemNotFound (-25300), after printing ``security: SecKeychainSearchCopyNext: The specified item could not
  be found in the keychain.``; when the item is found but its content cannot be read, the status of
  SecKeychainItemCopyContent with nothing printed: 36 for errSecInteractionNotAllowed (-25308, the keychain is
  locked and no one can be asked, as over SSH), 51 for errSecAuthFailed (-25293, access refused), 128 for
  errSecUserCanceled (-128, Deny in the dialog). Apple's source: Security/SecurityTool/macOS/keychain_find.c
  (do_keychain_find_generic_password, do_password_item_printing) and security.c (main returns the status).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ansible_collections.claudeops.credentials.plugins.module_utils._credentials import Problem, redact_server_text

SERVICE = 'Claude Code-credentials'
# What `security` exits with, and what it means here: (code, what happened). Every other status is keychain_error.
EXIT_STATUSES = {
    44: ('keychain_item_missing', 'the login keychain has no such item'),
    36: ('keychain_locked', 'the login keychain is locked and security may not ask for its password (User '
                            'interaction is not allowed)'),
    51: ('keychain_denied', 'access to the item was refused (errSecAuthFailed)'),
    128: ('keychain_denied', 'access to the item was refused in the dialog (User canceled the operation)'),
}
_HEX = re.compile(r'(?:[0-9a-fA-F]{2})+')
_HEX_BYTES = re.compile(rb'(?:[0-9a-fA-F]{2})+')


def service_name(environ):
    """The Keychain service Claude Code keeps the session under, for its process environment ``environ``."""
    override = environ.get('CLAUDE_SECURESTORAGE_CONFIG_DIR')
    if override is not None:
        directory = override
    elif environ.get('CLAUDE_CONFIG_DIR') is not None:
        directory = environ['CLAUDE_CONFIG_DIR']
    else:
        return SERVICE
    if not directory:
        return SERVICE
    digest = hashlib.sha256(unicodedata.normalize('NFC', directory).encode('utf-8')).hexdigest()
    return '%s-%s' % (SERVICE, digest[:8])


def password_bytes(stdout):
    """The item's content from ``security ... -w``'s standard output: its line end taken off, and hex decoded when
    security printed hex (it does when any byte is not printable; a credentials file begins with ``{``, never a
    hex digit)."""
    text = stdout[:-1] if stdout.endswith('\n') else stdout
    if _HEX.fullmatch(text):
        return bytes.fromhex(text)
    return text.encode('utf-8')


def handoff_bytes(data):
    """The login hook's hand-off file (``data``, bytes), as security printed it: hex decoded when it is hex."""
    text = data[:-1] if data.endswith(b'\n') else data
    return bytes.fromhex(text.decode('ascii')) if _HEX_BYTES.fullmatch(text) else data


def label(service, account):
    """How the item is named in facts and problems."""
    return 'keychain:%s (account %s)' % (service, account)


def refusal(rc, service, account, stderr=''):
    """The :class:`Problem` for a ``security`` that did not give the item: its code and what happened. Never quotes
    standard output (it would be the secret); security's own message is kept only for an unknown status."""
    code, what = EXIT_STATUSES.get(rc, ('keychain_error', 'security exited with status %s' % rc if rc is not None
                                        else 'security could not be run'))
    detail = redact_server_text(' '.join(str(stderr or '').split()))[:200] if code == 'keychain_error' else ''
    return Problem(code, '%s: %s%s.' % (label(service, account), what, (' (%s)' % detail) if detail else ''))


def fix(code, service, account, host):
    """The operator's next step for a Keychain problem ``code``, or None for another code."""
    fixes = {
        'keychain_item_missing': 'run `claude login` as %s on %s (Claude Code keeps the session in the login keychain '
                                 'there), or set claudeops_keychain_service when Claude Code runs with another '
                                 'CLAUDE_CONFIG_DIR' % (account, host),
        'keychain_locked': 'the login keychain of %s on %s is locked for the capture\'s SSH session: let the login '
                           'hook hand the session over at each login (claudeops_login_hook_keychain_handoff), or '
                           'unlock the keychain for the capture (docs/capture.md, macOS)' % (account, host),
        'keychain_denied': 'the keychain item does not let /usr/bin/security read it: run `claude login` again as %s '
                           'on %s (Claude Code writes the item through security), or choose Always Allow once in '
                           'the dialog (docs/capture.md, macOS)' % (account, host),
        'keychain_error': 'run `security find-generic-password -s "%s" -a %s` as %s on %s to see why'
                          % (service, account, account, host),
    }
    return fixes.get(code)
