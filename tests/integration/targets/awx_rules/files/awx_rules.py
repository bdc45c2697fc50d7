# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""awx_rules.py RECORDS RELEASED [NOW]: AWX's server-side rules applied to what playbooks/awx/configure.yml sends.

RECORDS is what files/record.py wrote: one line per awx.awx module call, with the arguments Ansible handed the
module (loaded and templated by Ansible, loops expanded). RELEASED is released_types.json: each credential type's
inputs as released. NOW (YYYY-MM-DD, default today) is the day AWX would compute a schedule's next runs on.
Prints each problem and exits 1 when there is any; prints what it checked and exits 0 otherwise.

The rules are AWX's own, encoded here from its source (read for this test on 2026-12-03, not vendored; no release
tag was available to pin, so the version is named by what it holds):
  - credential type inputs: awx/main/fields.py CredentialTypeInputField, the version whose field ``format`` allows
    ssh_private_key and url: its JSON schema (no extra keys, ``id`` a variable name, ``type`` string or boolean)
    and validate() (``tower`` reserved, ids unique, choices/multiline/format/secret only on strings, a default of
    the field's type);
  - injectors: the same file's CredentialTypeInjectorField: file keys ``template`` or ``template.NAME``, env names
    shell variable names with ASCII values, never ANSIBLE_* (AWX's ENV_BLOCKLIST of awx/main/constants.py is not
    encoded: its list was not read for this test), and every template rendered in
    a Jinja2 ImmutableSandboxedEnvironment with StrictUndefined against the declared inputs and
    ``tower.filename.NAME`` of the declared files;
  - awx/api/serializers.py CredentialTypeSerializer.validate: ``kind`` cloud or net, no ``ask_at_runtime``, and
    "Modifications to inputs are not allowed for credential types that are in use" (HTTP 403) once a credential of
    the type exists, which configure.yml always creates: a released type's inputs must stay as released;
  - schedules: the rrule checks whose messages awx/main/tests/functional/api/test_schedules.py lists (a valid,
    zoned DTSTART, one only; an RRULE with INTERVAL; no SECONDLY; one BYMONTHDAY and one BYMONTH; no BYDAY with a
    numeric prefix; no BYYEARDAY or BYWEEKNO; COUNT at most 999), and AWX's rewrite of the DTSTART of a MINUTELY or
    HOURLY rule that lies more than a week back to the same time of day a week ago (awx/main/models/schedules.py),
    which keeps the runs' phase only when the interval divides a day;
  - references: a credential's type, a job template's credentials, project, inventory and execution environment,
    and a schedule's job template exist (created by the run, or AWX's built-in Machine and Amazon Web Services).
"""

from __future__ import annotations

import datetime
import json
import re
import sys

import jsonschema
from jinja2 import StrictUndefined, sandbox
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError

VARIABLE = '^[a-zA-Z_]+[a-zA-Z0-9_]*$'
INPUTS_SCHEMA = {
    'type': 'object', 'additionalProperties': False,
    'properties': {
        'required': {'type': 'array', 'items': {'type': 'string'}},
        'fields': {'type': 'array', 'items': {
            'type': 'object', 'additionalProperties': False, 'required': ['id', 'label'],
            'properties': {
                'type': {'enum': ['string', 'boolean']},
                'format': {'enum': ['ssh_private_key', 'url']},
                'choices': {'type': 'array', 'minItems': 1, 'items': {'type': 'string'}, 'uniqueItems': True},
                'id': {'type': 'string', 'pattern': VARIABLE},
                'label': {'type': 'string'}, 'help_text': {'type': 'string'},
                'multiline': {'type': 'boolean'}, 'secret': {'type': 'boolean'},
                'ask_at_runtime': {'type': 'boolean'}, 'default': {}}}}}}
INJECTORS_SCHEMA = {
    'type': 'object', 'additionalProperties': False,
    'properties': {
        'file': {'type': 'object', 'additionalProperties': False,
                 'patternProperties': {r'^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$': {'type': 'string'}}},
        'env': {'type': 'object', 'additionalProperties': False,
                'patternProperties': {VARIABLE: {'type': 'string', 'pattern': '^[\x00-\x7F]*$'}}},
        'extra_vars': {'type': 'object', 'additionalProperties': False,
                       'patternProperties': {VARIABLE: {'type': 'string'}}}}}
BUILT_IN_TYPES = ('Machine', 'Amazon Web Services')


class _Exploding(object):
    def __str__(self):
        raise UndefinedError('Must define unnamed file injector in order to reference `tower.filename`.')


class _Tower(object):
    def __init__(self):
        self.filename = _Exploding()

    def __str__(self):
        raise UndefinedError('Cannot directly reference reserved `tower` namespace container.')


def inputs_problems(name, inputs):
    try:
        jsonschema.validate(inputs, INPUTS_SCHEMA)
    except jsonschema.ValidationError as exc:
        return ['credential type %r: inputs: %s' % (name, exc.message)]
    problems, seen = [], set()
    for field in inputs.get('fields', []):
        if field['id'] == 'tower':
            problems.append('credential type %r: "tower" is a reserved field name' % name)
        if field['id'] in seen:
            problems.append('credential type %r: field IDs must be unique (%s)' % (name, field['id']))
        seen.add(field['id'])
        kind = field.get('type', 'string')
        if 'default' in field and not isinstance(field['default'], {'string': str, 'boolean': bool}[kind]):
            problems.append('credential type %r: %s is not a %s' % (name, field['default'], kind))
        for key in ('choices', 'multiline', 'format', 'secret'):
            if key in field and kind != 'string':
                problems.append('credential type %r: %s not allowed for %s type (%s)' % (name, key, kind, field['id']))
        if field.get('ask_at_runtime'):
            problems.append("credential type %r: 'ask_at_runtime' is not supported for custom credentials." % name)
    for required in inputs.get('required', []):
        if required not in seen:
            problems.append('credential type %r: required names %r, which is not a field' % (name, required))
    return problems


def injectors_problems(name, inputs, injectors):
    try:
        jsonschema.validate(injectors, INJECTORS_SCHEMA)
    except jsonschema.ValidationError as exc:
        return ['credential type %r: injectors: %s' % (name, exc.message)]
    problems = []
    namespace = dict((field['id'], 'EXAMPLE') for field in inputs.get('fields', []))
    namespace['tower'] = _Tower()
    templates = [key for key in injectors.get('file', {}) if key.startswith('template')]
    if 'template' in templates:
        namespace['tower'].filename = 'EXAMPLE_FILENAME'
        if len(templates) > 1:
            problems.append('credential type %r: Must use multi-file syntax when injecting multiple files' % name)
    else:
        for template in templates:
            setattr(namespace['tower'].filename, template.split('.')[1], 'EXAMPLE_FILENAME')
    for variable in injectors.get('env', {}):
        if variable.startswith('ANSIBLE_'):
            problems.append('credential type %r: Environment variable %s may affect Ansible configuration so its use '
                            'is not allowed in credentials.' % (name, variable))
    for kind, injector in injectors.items():
        for key, template in injector.items():
            try:
                sandbox.ImmutableSandboxedEnvironment(undefined=StrictUndefined).from_string(template).render(namespace)
            except UndefinedError as exc:
                problems.append('credential type %r: %s uses an undefined field (%s)' % (name, key, exc))
            except SecurityError as exc:
                problems.append('credential type %r: Encountered unsafe code execution: %s' % (name, exc))
            except TemplateSyntaxError as exc:
                problems.append('credential type %r: Syntax error rendering template for %s inside of %s (%s)'
                                % (name, key, kind, exc))
    return problems


DTSTART = re.compile(r'DTSTART(?:;TZID=(?P<zone>[^:]+))?:(?P<at>\d{8}T\d{6})(?P<z>Z?)')


def rrule_problems(name, rrule, now):
    """AWX's checks of a schedule's rrule, and whether its runs keep their phase once AWX moves an old DTSTART."""
    where = 'schedule %r: ' % name
    if not rrule.strip():
        return [where + 'This field may not be blank']
    starts = DTSTART.findall(rrule)
    if len(re.findall('DTSTART', rrule)) > 1:
        return [where + 'Multiple DTSTART is not supported']
    if not starts:
        return [where + 'Valid DTSTART required in rrule']
    zone, at, utc = starts[0]
    problems = []
    if not zone and not utc:
        problems.append(where + 'DTSTART without a zone: give DTSTART;TZID=... or a UTC time ending in Z')
    if zone:
        try:
            import zoneinfo
            zoneinfo.ZoneInfo(zone)
        except Exception:  # pylint: disable=broad-except
            problems.append(where + 'A valid TZID must be provided (%s)' % zone)
    if 'RRULE:' not in rrule:
        return problems + [where + 'RRULE required in rrule']
    rule = dict(part.split('=', 1) for part in rrule.split('RRULE:', 1)[1].strip().split(';') if '=' in part)
    if 'INTERVAL' not in rule:
        problems.append(where + 'INTERVAL required in rrule')
    if rule.get('FREQ') == 'SECONDLY':
        problems.append(where + 'SECONDLY is not supported')
    for key, what in (('BYMONTHDAY', 'BYMONTHDAYs'), ('BYMONTH', 'BYMONTHs')):
        if ',' in rule.get(key, ''):
            problems.append(where + 'Multiple %s not supported' % what)
    if re.search(r'(^|,)[+-]?\d', rule.get('BYDAY', '')):
        problems.append(where + 'BYDAY with numeric prefix not supported')
    for key in ('BYYEARDAY', 'BYWEEKNO'):
        if key in rule:
            problems.append(where + '%s not supported' % key)
    if int(rule.get('COUNT', '0') or 0) > 999:
        problems.append(where + 'COUNT > 999 is unsupported')
    if problems:
        return problems
    # AWX moves a MINUTELY or HOURLY rule's DTSTART that lies more than a week back to the same time of day a week
    # ago: whole days move, so the runs keep their phase only when the interval divides a day.
    start = datetime.datetime.strptime(at, '%Y%m%dT%H%M%S')
    step = {'MINUTELY': 60, 'HOURLY': 3600}.get(rule.get('FREQ'))
    if step and now - start > datetime.timedelta(days=7):
        moved = datetime.datetime.combine((now - datetime.timedelta(days=7)).date(), start.time())
        every = int(rule['INTERVAL']) * step
        if (moved - start).total_seconds() % every or 86400 % every:
            problems.append(where + 'AWX moves this rule\'s DTSTART (%s) to %s, a week back, and its runs every %s '
                            'seconds lose their phase: only intervals that divide a day keep it'
                            % (start.isoformat(), moved.isoformat(), every))
    return problems


def check(records, released, now):
    by_module = {}
    for record in records:
        by_module.setdefault(record['module'], []).append(record['args'])
    problems = []
    types = dict((args['name'], args) for args in by_module.get('credential_type', []))
    for name, args in types.items():
        if args.get('kind') not in ('cloud', 'net'):
            problems.append("credential type %r: Must be 'cloud' or 'net', not %s" % (name, args.get('kind')))
        inputs, injectors = args.get('inputs') or {}, args.get('injectors') or {}
        found = inputs_problems(name, inputs)
        problems += found or injectors_problems(name, inputs, injectors)
        if name in released and released[name] != inputs:
            problems.append('credential type %r: its inputs differ from the released ones, and AWX answers 403 '
                            '"Modifications to inputs are not allowed for credential types that are in use" once a '
                            'credential of it exists (configure.yml creates one): give the changed type a new name '
                            '(the next version) in objects.yml, as docs/awx.md says' % name)
        if name not in released:
            problems.append('credential type %r is not in released_types.json: add its inputs there when it is '
                            'released' % name)
    credentials = set()
    for args in by_module.get('credential', []):
        credentials.add(args['name'])
        if args.get('credential_type') not in types and args.get('credential_type') not in BUILT_IN_TYPES:
            problems.append('credential %r: no credential type %r' % (args['name'], args.get('credential_type')))
    templates = set()
    projects = set(a['name'] for a in by_module.get('project', []))
    inventories = set(a['name'] for a in by_module.get('inventory', []))
    environments = set(a['name'] for a in by_module.get('execution_environment', []))
    for args in by_module.get('job_template', []):
        templates.add(args['name'])
        for cred in args.get('credentials') or []:
            if cred not in credentials:
                problems.append('job template %r: no credential %r' % (args['name'], cred))
        for key, known in (('project', projects), ('inventory', inventories),
                           ('execution_environment', environments)):
            if args.get(key) not in known:
                problems.append('job template %r: no %s %r' % (args['name'], key, args.get(key)))
    for args in by_module.get('schedule', []):
        if args.get('unified_job_template') not in templates:
            problems.append('schedule %r: no job template %r' % (args['name'], args.get('unified_job_template')))
        problems += rrule_problems(args['name'], args.get('rrule') or '', now)
    counts = dict((module, len(calls)) for module, calls in sorted(by_module.items()))
    return problems, counts


def main():
    with open(sys.argv[1]) as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    with open(sys.argv[2]) as handle:
        released = json.load(handle)
    now = datetime.datetime.strptime(sys.argv[3], '%Y-%m-%d') if len(sys.argv) > 3 else datetime.datetime.utcnow()
    problems, counts = check(records, released, now)
    for problem in problems:
        print('AWX would refuse: %s' % problem)
    if problems:
        sys.exit(1)
    print('awx_rules: AWX accepts all of it: %s' % ', '.join('%d %s' % (n, m) for m, n in counts.items()))


if __name__ == '__main__':
    main()
