# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils is PRIVATE and should only be used by this collection.
# Breaking changes can occur at any time.

"""The manifest file target of claude_secret: read the existing manifest, render, write atomically with mode 0600."""

from __future__ import annotations

import os
import tempfile

from ansible_collections.claudeops.credentials.plugins.module_utils._errors import InputError
from ansible_collections.claudeops.credentials.plugins.module_utils._secret import decode_data

try:
    import yaml
    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML ships with ansible-core
    HAS_YAML = False

HEADER = ('# Kubernetes Secret written by claudeops.credentials.\n'
          '# It holds live Claude Code credentials: keep it out of git and delete it once applied.\n'
          '# Apply it with kubectl apply --server-side --field-manager=claudeops -f (plain kubectl apply copies it into\n'
          '# an annotation), so that a later publish owns the same fields.\n')


def render(secret):
    body = yaml.safe_dump(secret, sort_keys=False, default_flow_style=False, width=1 << 20, allow_unicode=False)
    return HEADER + body


def read_state(path, name, namespace):
    """The existing manifest as ``{'data', 'labels', 'annotations', 'text'}``, or None when there is none.

    A file that is not the manifest of Secret ``namespace/name`` is refused, and left as it is."""
    try:
        with open(path, 'rb') as handle:
            raw = handle.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise InputError("dest: '%s' is a directory. Give the path of the manifest file to write, for example "
                         "out/claude-session-secret.yaml." % path)
    except OSError as exc:
        raise InputError("dest: cannot read '%s' (%s). Fix its permissions or choose another path."
                         % (path, exc.strerror))
    try:
        doc = yaml.safe_load(raw.decode('utf-8'))
    except (ValueError, yaml.YAMLError):
        doc = None
    if not isinstance(doc, dict) or doc.get('kind') != 'Secret':
        raise InputError("dest: '%s' exists and is not a Secret manifest; it was left alone. Remove it or "
                         "choose another path." % path)
    meta = doc.get('metadata') or {}
    if not isinstance(meta, dict) or (meta.get('name'), meta.get('namespace')) != (name, namespace):
        other = '%s/%s' % (meta.get('namespace'), meta.get('name')) if isinstance(meta, dict) else 'another Secret'
        raise InputError("dest: '%s' holds the manifest of Secret %s, not %s/%s; it was left alone. Choose "
                         "another path, or remove that file." % (path, other, namespace, name))
    return {
        'data': decode_data(doc.get('data')),
        'labels': meta.get('labels') or {},
        'annotations': meta.get('annotations') or {},
        'text': raw.decode('utf-8'),
    }


def write_atomic(path, text, mode=0o600):
    """Write ``text`` to ``path`` through a private temporary file in the same directory, then rename."""
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise InputError("dest: cannot create directory '%s' (%s)." % (directory, exc.strerror))
    try:
        fd, tmp = tempfile.mkstemp(prefix='.claudeops-', suffix='.tmp', dir=directory)
    except OSError as exc:
        raise InputError("dest: cannot write in directory '%s' (%s). Fix its permissions or choose another "
                         "path; nothing was written." % (directory, exc.strerror))
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError("dest: cannot write '%s' (%s); it was left as it was." % (path, exc.strerror))
        raise
    os.chmod(path, mode)


def remove(path):
    try:
        os.unlink(path)
        return True
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise InputError("dest: cannot remove '%s' (%s). Fix the permissions of its directory, or remove it "
                         "yourself." % (path, exc.strerror))
