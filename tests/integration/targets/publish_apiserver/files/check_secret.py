# Part of the publish_apiserver integration target (runme.sh runs it): the Secret kube-apiserver stored (JSON on
# stdin, as `ka` printed it) holds the rotated token and the annotation with its emoji, as written.
import base64
import json
import sys

text = sys.stdin.read().rsplit('\nHTTP ', 1)[0]
secret = json.loads(text)
tag = sys.argv[1]
assert secret['metadata']['annotations']['note'] == 'an emoji \U0001F600 and an accent \u00e9', secret['metadata']['annotations']
token = base64.b64decode(secret['data']['CLAUDE_CODE_OAUTH_TOKEN']).decode()
assert token == 'sk-ant-oat01-CANARYMX%s-two' % tag, 'the stored token is not the rotated one'
managers = [f['manager'] for f in secret['metadata']['managedFields']]
assert managers == ['claudeops'], managers
