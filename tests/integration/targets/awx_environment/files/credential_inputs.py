# Part of the awx_environment integration target (runme.sh runs it): the inputs of the AWX credentials, as a user fills them in.
import json
import os
import sys
work = sys.argv[1]
env = os.environ
inputs = {'kubeconfig': {'kubeconfig': open(work + '/credential-kubeconfig').read()},
          'token': {'oauth_token': env['TOKEN']}, 'alert': {'alert_token': env['ALERT']}}
if os.path.isdir(work + '/stores'):
    def port(kind):
        return open('%s/stores/%s/port' % (work, kind)).read().strip()
    # Infisical's URL as older Infisical CLIs wanted it, ending in /api; Vault's CA pasted as PEM; AWS through AWX's
    # built-in type (its username and password are the access key pair).
    inputs.update(
        infisical={'api_url': 'http://127.0.0.1:%s/api' % port('infisical'), 'client_id': 'standin-client-id',
                   'client_secret': env['INFISICAL_SECRET']},
        vault={'url': 'https://127.0.0.1:%s' % port('vault'), 'token': env['VAULT_TOKEN_VALUE'],
               'ca_cert': open(work + '/stores/vault/ca.pem').read()},
        aws_secretsmanager={'username': 'testing', 'password': env['AWS_SECRET']},
        onepassword_connect={'host': 'http://127.0.0.1:%s' % port('onepassword'), 'token': env['OP_TOKEN']})
print(json.dumps(inputs))
