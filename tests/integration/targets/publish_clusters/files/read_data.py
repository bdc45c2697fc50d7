# Part of the publish_clusters integration target (runme.sh runs it): one data value of the published Secret, decoded, through the kubernetes client.
import base64
import sys
from kubernetes import client, config
api = client.CoreV1Api(config.new_client_from_config(sys.argv[1]))
sys.stdout.write(base64.b64decode(api.read_namespaced_secret('claude-session', sys.argv[2]).data[sys.argv[3]]).decode())
