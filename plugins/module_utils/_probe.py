# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""Probe: ask the `claude` CLI a tiny question with a token passed through the environment only."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time

_UNAUTHORIZED = ('invalid api key', 'unauthorized', '401', 'authentication', 'please run /login', 'oauth token has expired',
                 'token has expired', 'invalid bearer token', 'not logged in', 'credit balance')


def probe_outcome(returncode, output):
    """``ok`` or ``unauthorized`` or ``error`` from the CLI's exit code and output."""
    lowered = (output or '').lower()
    if returncode == 0:
        return 'ok'
    if any(marker in lowered for marker in _UNAUTHORIZED):
        return 'unauthorized'
    return 'error'


def probe(executable, prompt, timeout, token=None, extra_env=None):
    """Run ``executable -p prompt`` with the token in CLAUDE_CODE_OAUTH_TOKEN and a private config directory that is
    removed afterwards. Returns ``{result, msg, elapsed, output}``; ``output`` is trimmed and never holds the token."""
    path = executable if os.sep in executable else shutil.which(executable)
    if not path or not os.access(path, os.X_OK):
        return {'result': 'no_cli', 'msg': "the claude CLI was not found ('%s'); install Claude Code "
                                           "(npm install -g @anthropic-ai/claude-code) or set executable" % executable,
                'elapsed': 0.0, 'output': ''}
    config_dir = tempfile.mkdtemp(prefix='claudeops-probe-')
    env = dict(os.environ)
    env.update(extra_env or {})
    env['CLAUDE_CONFIG_DIR'] = config_dir
    if token:
        env['CLAUDE_CODE_OAUTH_TOKEN'] = token
    start = time.monotonic()
    # The CLI runs in a process group of its own: whatever it starts inherits the token through its environment,
    # so the whole group is ended when the probe is over, on a timeout above all.
    proc = subprocess.Popen([path, '-p', prompt], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        raw, _unused = proc.communicate(timeout=timeout)
        output = raw.decode('utf-8', 'replace')
        result = probe_outcome(proc.returncode, output)
        msg = {'ok': 'the token works: the CLI answered',
               'unauthorized': 'the token was refused: create a new one with `claude setup-token`',
               'error': 'the CLI failed with exit code %d' % proc.returncode}[result]
    except subprocess.TimeoutExpired:
        output, result = '', 'timeout'
        msg = 'the CLI did not answer within %ss (network, or a prompt waiting for input)' % timeout
    finally:
        end_group(proc)
        shutil.rmtree(config_dir, ignore_errors=True)
    if token:
        output = output.replace(token, '********')
    return {'result': result, 'msg': msg, 'elapsed': round(time.monotonic() - start, 2),
            'output': ' '.join(output.split())[:300]}


def end_group(proc, grace=2.0):
    """End every process of ``proc``'s group: SIGTERM, and SIGKILL for what is left after ``grace`` seconds."""
    if _signal_group(proc.pid, signal.SIGTERM) and not _group_gone(proc, grace):
        _signal_group(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - SIGKILL cannot be ignored
        pass
    if proc.stdout is not None:
        proc.stdout.close()


def _signal_group(pgid, sig):
    """Send ``sig`` to the group; False when no process of it is left."""
    try:
        os.killpg(pgid, sig)
        return True
    except (ProcessLookupError, PermissionError):
        return False


def _group_gone(proc, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        proc.poll()  # reap the CLI itself: a zombie would still count as a member of the group
        if not _signal_group(proc.pid, 0):
            return True
        time.sleep(0.05)
    return False
