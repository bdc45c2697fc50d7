# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build, from playbooks/awx/configure.yml and objects.yml, what AWX would hand each job template's run.

For every job template in objects.yml (with OVERRIDES.yml over it, as ``-e @your-objects.yml`` would be): its
playbook, and the environment its credentials inject, rendered the way AWX renders custom credential type injectors
(the inputs given, an empty string for an optional input left empty, and ``tower.filename.<name>`` for each file
injector, whose content AWX writes to a private file). AWX's built-in "Amazon Web Services" type, which the AWS
Secrets Manager store credential uses, injects as awx/main/models/credential/injectors.py's aws() does. Extra vars
are ``claudeops_awx_extra_vars`` plus the ``awx_*`` variables AWX adds to every job. Nothing here is recorded from an
AWX server: it is derived from our own configuration files, so the test follows them when they change.

    python awx_jobs.py COLLECTION WORK INPUTS.json [OVERRIDES.yml]

INPUTS.json holds what a user fills into each credential, by kind: token, kubeconfig, alert (the credentials that
job templates name) and infisical, vault, aws_secretsmanager, onepassword_connect (the store credentials), each an
object of the type's input fields. Writes WORK/jobs/<n>.env (KEY=value, one per line, values shell-quoted),
WORK/jobs/<n>.playbook, <n>.name and <n>.forks for n = 0, 1, ..., and WORK/extra_vars.json.
"""

from __future__ import annotations

import json
import os
import shlex
import sys

import jinja2
import jinja2.nativetypes
import yaml


class Loader(yaml.SafeLoader):
    """configure.yml marks injector templates !unsafe, so that Ansible leaves them to AWX."""


Loader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def aws_builtin(inputs):
    """What AWX's built-in "Amazon Web Services" credential injects (awx/main/models/credential/injectors.py, aws())."""
    env = {'AWS_ACCESS_KEY_ID': inputs.get('username', ''), 'AWS_SECRET_ACCESS_KEY': inputs.get('password', '')}
    if 'security_token' in inputs:
        env['AWS_SECURITY_TOKEN'] = inputs['security_token']
    return env


def main():
    collection, work, inputs_file = sys.argv[1:4]
    with open(os.path.join(collection, 'playbooks', 'awx', 'configure.yml')) as handle:
        tasks = yaml.load(handle, Loader=Loader)[0]['tasks']
    with open(os.path.join(collection, 'playbooks', 'awx', 'objects.yml')) as handle:
        objects = yaml.load(handle, Loader=Loader)
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as handle:
            objects.update(yaml.safe_load(handle))
    with open(inputs_file) as handle:
        inputs = json.load(handle)
    env = jinja2.Environment()
    native = jinja2.nativetypes.NativeEnvironment()

    def render(text, context):
        return env.from_string(str(text)).render(**context)

    # Credential kind -> credential type name, as configure.yml names them from objects.yml.
    stores = objects['claudeops_awx_store_credentials']
    kinds = {
        'token': render(objects['claudeops_awx_token_credential_type'], objects),
        'kubeconfig': render(objects['claudeops_awx_kubeconfig_credential_type'], objects),
        'alert': render(objects['claudeops_awx_alert_credential_type'], objects),
    }
    kinds.update((backend, render(stores[backend]['type'], objects)) for backend in stores)
    by_type = dict((name, kind) for kind, name in kinds.items())

    # Credential type name -> injected environment, for the inputs a user would fill in.
    injected = {kinds['aws_secretsmanager']: aws_builtin(inputs.get('aws_secretsmanager', {}))}
    for task in tasks:
        spec = task.get('awx.awx.credential_type')
        if not spec:
            continue
        name = render(spec['name'], objects)
        given = inputs.get(by_type[name], {})
        injectors = spec.get('injectors') or {}
        files = {}
        for file_key, template in (injectors.get('file') or {}).items():
            path = os.path.join(work, 'awx-private', '%s-%s' % (len(injected), file_key.split('.', 1)[1]))
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, 'w') as handle:
                handle.write(render(template, given))
            files[file_key.split('.', 1)[1]] = path
        context = dict(given, tower={'filename': files})
        injected[name] = dict((k, render(v, context)) for k, v in (injectors.get('env') or {}).items())

    templates = [t['awx.awx.job_template'] for t in tasks if 'awx.awx.job_template' in t]
    # A sliced capture would choose and publish the freshest session of each slice, not of all hosts.
    assert templates and all(t.get('job_slice_count') == 1 for t in templates), 'job templates must not be sliced'
    credential_types = dict(kinds, machine=None)  # a Machine credential sets connection options, not environment
    store_backends = sorted(set(entry['backend'] for entry in objects.get('claudeops_awx_stores') or []))
    os.makedirs(os.path.join(work, 'jobs'), exist_ok=True)
    for index, template in enumerate(objects['claudeops_awx_job_templates']):
        job_env = {}
        for credential in template['credentials']:
            for kind in (store_backends if credential == 'stores' else [credential]):
                if credential_types[kind] is not None:
                    job_env.update(injected[credential_types[kind]])
        if template.get('use_fact_cache'):
            # AWX writes the inventory's facts from its database as jsonfile cache files before the job and saves
            # the changed ones back after it; one directory across the jobs stands for that database.
            job_env.update(ANSIBLE_CACHE_PLUGIN='jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION=os.path.join(work, 'facts'))
        with open(os.path.join(work, 'jobs', '%d.env' % index), 'w') as handle:
            handle.write(''.join('%s=%s\n' % (k, shlex.quote(v)) for k, v in sorted(job_env.items())))
        # AWX runs the job with --forks; configure.yml never slices a job (a slice would choose among its own hosts).
        forks = template.get('forks', objects['claudeops_awx_forks'])
        for suffix, value in (('playbook', template['playbook']), ('name', template['name']), ('forks', str(forks))):
            with open(os.path.join(work, 'jobs', '%d.%s' % (index, suffix)), 'w') as handle:
                handle.write(value + '\n')
    # configure.yml hands AWX the extra vars templated (Ansible renders them before awx.awx.job_template sends them).
    extra = dict((k, native.from_string(v).render(**objects) if isinstance(v, str) and '{' in v else v)
                 for k, v in objects['claudeops_awx_extra_vars'].items())
    extra.update(awx_job_id=4242, awx_job_launch_type='scheduled', awx_job_template_name='(set per job)',
                 awx_project_revision='0' * 40, awx_inventory_name=objects['claudeops_awx_inventory'],
                 awx_user_name='admin', awx_execution_node='awx-task')
    with open(os.path.join(work, 'extra_vars.json'), 'w') as handle:
        json.dump(extra, handle)


if __name__ == '__main__':
    main()
