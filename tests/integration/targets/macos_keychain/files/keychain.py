# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""keychain.py STATE COMMAND ...: set what the stand-in `security` (files/security) answers.

  put SERVICE ACCOUNT FILE [ACCESS]   the item SERVICE/ACCOUNT holds FILE's content (allow, deny, cancel, status:N)
  remove SERVICE                      no item SERVICE any more
  lock | unlock                       the login keychain is locked (36 for every read) or not
"""

import json
import os
import sys


def main(state_file, command, *args):
    state = {'locked': False, 'items': []}
    if os.path.exists(state_file):
        with open(state_file) as handle:
            state = json.load(handle)
    if command == 'put':
        service, account, source = args[:3]
        with open(source, encoding='utf-8') as handle:
            password = handle.read()
        state['items'] = [i for i in state['items'] if i['service'] != service]
        state['items'].append({'service': service, 'account': account, 'password': password,
                               'access': args[3] if len(args) > 3 else 'allow'})
    elif command == 'remove':
        state['items'] = [i for i in state['items'] if i['service'] != args[0]]
    elif command in ('lock', 'unlock'):
        state['locked'] = command == 'lock'
    else:
        raise SystemExit('unknown command %s' % command)
    fd = os.open(state_file + '.new', os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as handle:
        json.dump(state, handle)
    os.replace(state_file + '.new', state_file)


if __name__ == '__main__':
    main(*sys.argv[1:])
