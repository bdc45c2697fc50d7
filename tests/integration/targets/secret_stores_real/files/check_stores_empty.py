# Part of the secret_stores_real integration target (runme.sh runs it): every store is empty again after the run cleaned up.
import json
import ssl
import sys
import urllib.request
import boto3
work, moto = sys.argv[1:3]


def dump(kind):
    port = open('%s/stores/%s/port' % (work, kind)).read().strip()
    scheme = 'https' if kind == 'vault' else 'http'
    ctx = ssl.create_default_context(cafile='%s/stores/vault/ca.pem' % work) if kind == 'vault' else None
    with urllib.request.urlopen('%s://127.0.0.1:%s/_standin/dump' % (scheme, port), context=ctx, timeout=10) as resp:
        return json.loads(resp.read())


assert not any(dump('vault').values()), dump('vault')
assert not any(dump('infisical').values()), dump('infisical')
assert dump('onepassword') == {}, dump('onepassword')
client = boto3.client('secretsmanager', region_name='eu-west-1', endpoint_url='http://127.0.0.1:%s' % moto)
assert client.list_secrets()['SecretList'] == [], client.list_secrets()['SecretList']
