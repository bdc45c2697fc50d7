# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build, from playbooks/awx/configure.yml and objects.yml, what AWX would hand each job template's run.

For every job template in objects.yml: its playbook, and the environment its credentials inject, rendered the way
AWX renders custom credential type injectors (the inputs and ``tower.filename.<name>`` for each file injector, whose
content AWX writes to a private file). Extra vars are objects.yml's ``claudeops_awx_extra_vars`` plus the
``awx_*`` variables AWX adds to every job. Nothing here is recorded from an AWX server: it is derived from our own
configuration files, so the test follows them when they change.

    python awx_jobs.py COLLECTION WORK KUBECONFIG_FILE OAUTH_TOKEN ALERT_TOKEN

writes WORK/jobs/<n>.env (KEY=value, one per line, values shell-quoted), WORK/jobs/<n>.playbook and WORK/jobs/<n>.name
for n = 0, 1, ..., and WORK/extra_vars.json.
"""

from __future__ import annotations

import json
import os
import shlex
import sys

import jinja2
import yaml


class Loader(yaml.SafeLoader):
    """configure.yml marks injector templates !unsafe, so that Ansible leaves them to AWX."""


Loader.add_constructor('!unsafe', lambda loader, node: loader.construct_scalar(node))


def main():
    collection, work, kubeconfig_file, oauth_token, alert_token = sys.argv[1:6]
    with open(os.path.join(collection, 'playbooks', 'awx', 'configure.yml')) as handle:
        tasks = yaml.load(handle, Loader=Loader)[0]['tasks']
    with open(os.path.join(collection, 'playbooks', 'awx', 'objects.yml')) as handle:
        objects = yaml.load(handle, Loader=Loader)
    env = jinja2.Environment()

    def render(text, context):
        return env.from_string(str(text)).render(**context)

    # Credential type name -> injected environment, for the inputs a user would fill in.
    inputs = {'kubeconfig': open(kubeconfig_file).read(), 'oauth_token': oauth_token, 'alert_token': alert_token}
    injected = {}
    for task in tasks:
        spec = task.get('awx.awx.credential_type')
        if not spec:
            continue
        name = render(spec['name'], objects)
        injectors = spec.get('injectors') or {}
        files = {}
        for file_key, template in (injectors.get('file') or {}).items():
            path = os.path.join(work, 'awx-private', '%s-%s' % (len(injected), file_key.split('.', 1)[1]))
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, 'w') as handle:
                handle.write(render(template, inputs))
            files[file_key.split('.', 1)[1]] = path
        context = dict(inputs, tower={'filename': files})
        injected[name] = dict((k, render(v, context)) for k, v in (injectors.get('env') or {}).items())

    templates = [t['awx.awx.job_template'] for t in tasks if 'awx.awx.job_template' in t]
    # A sliced capture would choose and publish the freshest session of each slice, not of all hosts.
    assert templates and all(t.get('job_slice_count') == 1 for t in templates), 'job templates must not be sliced'
    credential_types = {
        'machine': None,  # a Machine credential sets connection options, not environment
        'token': render(objects['claudeops_awx_token_credential_type'], objects),
        'kubeconfig': render(objects['claudeops_awx_kubeconfig_credential_type'], objects),
        'alert': render(objects['claudeops_awx_alert_credential_type'], objects),
    }
    os.makedirs(os.path.join(work, 'jobs'), exist_ok=True)
    for index, template in enumerate(objects['claudeops_awx_job_templates']):
        job_env = {}
        for credential in template['credentials']:
            kind = credential_types[credential]
            if kind is not None:
                job_env.update(injected[kind])
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
    extra = dict((k, render(v, objects) if isinstance(v, str) else v)
                 for k, v in objects['claudeops_awx_extra_vars'].items())
    extra.update(awx_job_id=4242, awx_job_launch_type='scheduled', awx_job_template_name='(set per job)',
                 awx_project_revision='0' * 40, awx_inventory_name=objects['claudeops_awx_inventory'],
                 awx_user_name='admin', awx_execution_node='awx-task')
    with open(os.path.join(work, 'extra_vars.json'), 'w') as handle:
        json.dump(extra, handle)


if __name__ == '__main__':
    main()
