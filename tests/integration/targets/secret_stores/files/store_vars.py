# Part of the secret_stores integration target (runme.sh runs it): the stores publish.yml writes to, and their credentials.
import json
import os
import sys
work, mode = sys.argv[1:3]
env, run = os.environ, os.environ['RUN']


def port(kind):
    return open('%s/stores/%s/port' % (work, kind)).read().strip()


def entries(kind):
    """A stand-in takes the defaults (claude/session, claude/oauth-token, ...); a real store gets this run's names."""
    path = {'session': 'session', 'token': 'oauth-token'}[kind if mode != 'shared' else 'session']
    item = {'session': 'Claude session', 'token': 'Claude token'}[kind if mode != 'shared' else 'session']
    if env.get('CLAUDEOPS_TEST_INFISICAL_PROJECT_ID'):
        infisical = {'url': env.get('CLAUDEOPS_TEST_INFISICAL_URL') or 'https://app.infisical.com',
                     'project_id': env['CLAUDEOPS_TEST_INFISICAL_PROJECT_ID'],
                     'path': env['CLAUDEOPS_TEST_INFISICAL_PATH'],
                     'environment': env.get('CLAUDEOPS_TEST_INFISICAL_ENVIRONMENT') or 'prod'}
    else:
        infisical = {'url': 'http://127.0.0.1:' + port('infisical'), 'project_id': '6f1c0e7b-0000-4000-8000-000000000000'}
    vault = {}
    if env.get('CLAUDEOPS_TEST_VAULT_ADDR'):
        vault = {'path': '%s/%s' % (run, path), 'mount': env.get('CLAUDEOPS_TEST_VAULT_MOUNT') or 'secret'}
    elif mode == 'shared':
        vault = {'path': 'claude/session'}
    if mode == 'vault-down':
        vault['url'] = 'https://127.0.0.1:1'
    if env.get('CLAUDEOPS_TEST_AWS_REGION'):
        aws = {'path': '%s/%s' % (run, path), 'region': env['CLAUDEOPS_TEST_AWS_REGION']}
        if env.get('CLAUDEOPS_TEST_AWS_ENDPOINT_URL'):
            aws['endpoint_url'] = env['CLAUDEOPS_TEST_AWS_ENDPOINT_URL']
    else:
        aws = {'path': 'claude/session'} if mode == 'shared' else {}
    if env.get('CLAUDEOPS_TEST_OP_CONNECT_HOST'):
        onepassword = {'url': env['CLAUDEOPS_TEST_OP_CONNECT_HOST'], 'token': env['CLAUDEOPS_TEST_OP_CONNECT_TOKEN'],
                       'vault_id': env['CLAUDEOPS_TEST_OP_VAULT_ID'], 'item': '%s %s' % (item, run)}
    else:
        onepassword = {'url': 'http://127.0.0.1:' + port('onepassword'), 'token': env['OP_TOKEN'],
                       'vault_id': '4zxqbxl3ru6fz7rcwz4ynxnyxq'}
        if mode == 'shared':
            onepassword['item'] = item
    return [dict(infisical, name='infisical', backend='infisical'), dict(vault, name='vault', backend='vault'),
            dict(aws, name='aws', backend='aws_secretsmanager'),
            dict(onepassword, name='onepassword', backend='onepassword_connect')]


def foreign():
    """Paths of another team's (planted by peek.py plant): the session's entries, moved to team/app (1Password: an
    item of its own; Infisical: the session's folder, where every key is a secret of its own)."""
    out = []
    for entry in entries('session'):
        entry = dict(entry)
        if entry['backend'] == 'infisical':
            pass  # a folder must exist there: the session's own, empty again once the tests before have revoked it
        elif entry['backend'] == 'onepassword_connect':
            entry['item'] = 'Team app %s' % run
        else:
            entry['path'] = '%s/team/app' % run
        out.append(entry)
    return out


if mode == 'foreign':
    with open(os.path.join(work, 'stores-foreign.json'), 'w') as handle:
        json.dump(foreign(), handle)
else:
    for kind, name in (('session', 'stores.json'), ('token', 'stores-token.json')):
        with open(os.path.join(work, name), 'w') as handle:
            json.dump(entries(kind), handle)
