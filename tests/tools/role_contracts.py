# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""role_contracts.py ROOT: every role of the collection is reusable from someone else's playbook.

For each role under ROOT/roles, from meta/argument_specs.yml (entry point main), defaults/, vars/ and tasks/:
  - every input is documented: each variable in defaults/main.yml is an option of the spec, and each option has a
    default or is required;
  - a default is a plain value, the same in the spec (what ansible-doc shows) and in defaults/main.yml (what the role
    uses): the spec's defaults are documentation only, so two different values would be a lie;
  - no hidden coupling: every variable a role's templates read is one of its options, its own vars/, something it
    registers or sets itself, a loop variable, or one of Ansible's own (hostvars, groups, ansible_*, ...). A
    variable that only a playbook of ours sets would be none of these.
  - every registered fact a role leaves for its caller is named in its spec's description;
  - every role has a molecule scenario whose converge.yml runs it (make molecule runs them all).
Exit 1 with one line per problem.

role_contracts.py --self-test   checks this checker on a role with each kind of problem.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

import jinja2
import jinja2.meta
import yaml

# Variables Ansible itself provides to every task.
MAGIC = {'hostvars', 'groups', 'group_names', 'inventory_hostname', 'inventory_hostname_short', 'inventory_dir',
         'inventory_file', 'playbook_dir', 'role_path', 'role_name', 'omit', 'item', 'ansible_loop', 'play_hosts',
         'ansible_play_hosts', 'ansible_play_batch', 'ansible_check_mode', 'ansible_diff_mode', 'ansible_verbosity',
         'ansible_version', 'lookup', 'query', 'q', 'now', 'undef', 'range', 'dict', 'lipsum', 'cycler', 'joiner',
         'namespace', 'true', 'false', 'none', 'True', 'False', 'None', 'ansible_failed_result', 'ansible_failed_task'}
# Facts a module of ours sets (ansible_facts), so a role that runs it defines them.
MODULE_FACTS = {'claudeops.credentials.claude_session_facts': {'claude_session'}}
# Task keywords whose value is a bare Jinja expression.
EXPRESSION_KEYS = {'when', 'that', 'failed_when', 'changed_when', 'until'}


class _Any(dict):
    """Every filter and test name is known: the checker reads variable names, it never renders."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return lambda *args, **kwargs: None

    def get(self, key, default=None):
        return self[key]


ENV = jinja2.Environment()
ENV.filters = _Any()
ENV.tests = _Any()


def _load(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path) as handle:
        return yaml.safe_load(handle) or default


def _strings(node, key=None):
    """(text, is_expression) for every string under node."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str):
        if key in EXPRESSION_KEYS:
            yield node, True
        elif '{{' in node or '{%' in node:
            yield node, False


def _read(text, is_expression):
    try:
        ast = ENV.parse('{{ %s }}' % text if is_expression else text)
    except jinja2.TemplateSyntaxError as exc:
        return None, str(exc)
    return jinja2.meta.find_undeclared_variables(ast), None


def _defined_by_tasks(tasks):
    """Names the role's own tasks define: register, set_fact keys, vars: keys, loop_var."""
    names = set()
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        for block_key in ('block', 'rescue', 'always'):
            names |= _defined_by_tasks(task.get(block_key))
        if task.get('register'):
            names.add(task['register'])
        names |= set((task.get('vars') or {}).keys())
        names.add((task.get('loop_control') or {}).get('loop_var') or 'item')
        for module, facts in MODULE_FACTS.items():
            if module in task:
                names |= facts
        for key in ('ansible.builtin.set_fact', 'set_fact'):
            if isinstance(task.get(key), dict):
                names |= set(k for k in task[key] if k != 'cacheable')
    return names


def _registered(tasks):
    out = set()
    for task in tasks or []:
        if isinstance(task, dict):
            for block_key in ('block', 'rescue', 'always'):
                out |= _registered(task.get(block_key))
            if task.get('register') and not task['register'].startswith('_'):
                out.add(task['register'])
            for module, facts in MODULE_FACTS.items():
                if module in task:
                    out |= facts
            for key in ('ansible.builtin.set_fact', 'set_fact'):
                if isinstance(task.get(key), dict):
                    out |= set(k for k in task[key] if not k.startswith('_') and k != 'cacheable')
    return out


def check_role(root, role):
    base = os.path.join(root, 'roles', role)
    problems = []
    spec = ((_load(os.path.join(base, 'meta', 'argument_specs.yml'), {}).get('argument_specs') or {}).get('main'))
    if not spec:
        return ['%s: meta/argument_specs.yml has no main entry point' % role]
    options = spec.get('options') or {}
    defaults = _load(os.path.join(base, 'defaults', 'main.yml'), {})
    own_vars = _load(os.path.join(base, 'vars', 'main.yml'), {})
    for name, value in defaults.items():
        if name not in options:
            problems.append('%s: defaults/main.yml sets %s, which meta/argument_specs.yml does not document' % (role, name))
            continue
        if isinstance(value, str) and ('{{' in value or '{%' in value):
            problems.append('%s: the default of %s is a template (%s); make it a plain value and derive the rest in the '
                            'role, so that the spec can show it' % (role, name, value))
    for name, opt in options.items():
        if opt.get('required'):
            if name in defaults:
                problems.append('%s: %s is required, but defaults/main.yml gives it a value' % (role, name))
        elif 'default' not in opt:
            problems.append('%s: %s has neither a default nor required: true in meta/argument_specs.yml' % (role, name))
        elif name not in defaults:
            problems.append('%s: %s has a default in the spec but none in defaults/main.yml (the spec\'s is not '
                            'applied)' % (role, name))
        elif defaults[name] != opt['default']:
            problems.append('%s: %s defaults to %r in defaults/main.yml but %r in meta/argument_specs.yml'
                            % (role, name, defaults[name], opt['default']))
    tasks = []
    task_dir = os.path.join(base, 'tasks')
    for fname in sorted(os.listdir(task_dir)) if os.path.isdir(task_dir) else []:
        if fname.endswith(('.yml', '.yaml')):
            tasks.extend(_load(os.path.join(task_dir, fname), []))
    known = set(options) | set(own_vars) | _defined_by_tasks(tasks) | MAGIC
    sources = [('tasks', tasks), ('vars/main.yml', own_vars), ('defaults/main.yml', defaults)]
    tpl_dir = os.path.join(base, 'templates')
    for fname in sorted(os.listdir(tpl_dir)) if os.path.isdir(tpl_dir) else []:
        with open(os.path.join(tpl_dir, fname)) as handle:
            sources.append(('templates/' + fname, [handle.read()]))
    for where, node in sources:
        for text, is_expression in _strings(node):
            names, error = _read(text, is_expression)
            if error:
                problems.append('%s: %s: cannot parse %r: %s' % (role, where, text[:60], error))
                continue
            for name in sorted(names - known):
                if not name.startswith('ansible_'):
                    problems.append('%s: %s reads %s, which is not an input of the role (meta/argument_specs.yml), '
                                    'nor its own' % (role, where, name))
    description = ' '.join(spec.get('description') or []) if isinstance(spec.get('description'), list) \
        else str(spec.get('description') or '')
    for name in sorted(_registered(tasks)):
        if name not in description and not any(name in str(o.get('description')) for o in options.values()):
            problems.append('%s: it leaves the fact %s for its caller, but its spec\'s description does not name it'
                            % (role, name))
    return sorted(set(problems))


def _converged(root):
    """Roles named in any molecule/*/converge.yml."""
    out = set()
    mol = os.path.join(root, 'molecule')
    for scenario in sorted(os.listdir(mol)) if os.path.isdir(mol) else []:
        path = os.path.join(mol, scenario, 'converge.yml')
        if os.path.exists(path):
            with open(path) as handle:
                out |= set(re.findall(r'claudeops\.credentials\.([a-z_]+)', handle.read()))
    return out


def check(root):
    roles_dir = os.path.join(root, 'roles')
    problems = []
    converged = _converged(root)
    for role in sorted(os.listdir(roles_dir)):
        problems.extend(check_role(root, role))
        if role not in converged:
            problems.append('%s: no molecule scenario converges it (molecule/*/converge.yml)' % role)
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as root:
        base = os.path.join(root, 'roles', 'bad')
        for sub in ('meta', 'defaults', 'tasks'):
            os.makedirs(os.path.join(base, sub))
        files = {
            'meta/argument_specs.yml': {'argument_specs': {'main': {'short_description': 'x', 'description': 'x',
                                        'options': {'a': {'type': 'str', 'default': 'one'}, 'b': {'type': 'str'},
                                                    'c': {'type': 'str', 'required': True},
                                                    'd': {'type': 'str', 'default': ''}}}}},
            'defaults/main.yml': {'a': 'two', 'c': 'x', 'e': 1, 'd': '{{ inventory_hostname }}'},
            'tasks/main.yml': [{'name': 't', 'ansible.builtin.debug': {'msg': '{{ a ~ playbook_only_var }}'},
                                'register': 'bad_result'}],
        }
        for path, doc in files.items():
            with open(os.path.join(base, path), 'w') as handle:
                yaml.safe_dump(doc, handle)
        found = check(root)
    expected = ['a defaults to', 'b has neither', 'c is required', 'sets e', 'the default of d is a template',
                'reads playbook_only_var', 'leaves the fact bad_result', 'no molecule scenario converges it']
    missing = [e for e in expected if not any(e in p for p in found)]
    if missing:
        sys.exit('role_contracts self-test: not found: %s (found: %s)' % (missing, found))
    print('role_contracts self-test: %d known problems found' % len(expected))


def main():
    if sys.argv[1:] == ['--self-test']:
        self_test()
        return
    problems = check(sys.argv[1] if len(sys.argv) > 1 else '.')
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print('role contracts: every role documents its inputs and reads nothing it was not given')


if __name__ == '__main__':
    main()
