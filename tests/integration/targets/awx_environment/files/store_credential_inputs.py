# Part of the awx_environment integration target (runme.sh runs it): the inputs of the store credentials.
import json
import os
import sys
work = sys.argv[1]
env = os.environ


def port(kind):
    return open('%s/stores/%s/port' % (work, kind)).read().strip()


entries = [
    {'name': 'infisical', 'backend': 'infisical', 'url': 'http://127.0.0.1:%s' % port('infisical'),
     'project_id': '6f1c0e7b-0000-4000-8000-000000000000', 'client_id': 'standin-client-id',
     'client_secret': env['INFISICAL_SECRET']},
    {'name': 'vault', 'backend': 'vault', 'url': 'https://127.0.0.1:%s' % port('vault'),
     'token': env['VAULT_TOKEN_VALUE'], 'ca_cert': work + '/stores/vault/ca.pem'},
    {'name': 'aws', 'backend': 'aws_secretsmanager', 'region': 'us-east-1',
     'endpoint_url': 'http://127.0.0.1:%s' % env['MOTO_PORT']},
    {'name': 'onepassword', 'backend': 'onepassword_connect', 'url': 'http://127.0.0.1:%s' % port('onepassword'),
     'token': env['OP_TOKEN'], 'vault_id': '4zxqbxl3ru6fz7rcwz4ynxnyxq'},
]
for name in ('stores.json', 'stores-token.json'):
    json.dump(entries, open(os.path.join(work, name), 'w'))
