# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""listen.py SOURCE ARGS: run the event source SOURCE (login_signal.py) alone.

It runs as ansible-rulebook runs a source: ``main(queue, args)`` in an asyncio loop, ARGS read from a JSON file (it
holds the bearer token). Each event the source queues is printed as one JSON line on stdout; the log (the
source's and asyncio's) goes to stderr at INFO, one record per line, each starting with ``LOG ``. The lines the
source writes to stdout for the operator (``say``: where it listens, each signal accepted) go to that log too, as
``LOG SAY ...``, each write as it is (a newline inside one shows as a line that is not a record).
"""

import asyncio
import importlib.util
import json
import logging
import sys


EVENTS = sys.stdout


class Printer:
    async def put(self, event):
        print(json.dumps(event), file=EVENTS, flush=True)


class SayToLog:
    def write(self, text):
        sys.stderr.write('LOG SAY ' + text)

    def flush(self):
        sys.stderr.flush()


def main():
    spec = importlib.util.spec_from_file_location('login_signal', sys.argv[1])
    source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(source)
    with open(sys.argv[2]) as handle:
        args = json.load(handle)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format='LOG %(levelname)s %(name)s %(message)s')
    sys.stdout = SayToLog()
    asyncio.run(source.main(Printer(), args))


if __name__ == '__main__':
    main()
