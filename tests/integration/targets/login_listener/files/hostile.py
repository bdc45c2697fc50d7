# -*- coding: utf-8 -*-
# Copyright: (c) 2026, claudeops maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""hostile.py PORT CAFILE TOKENFILE PID LOG EVENTS INTERVAL: the login listener under hostile clients, measured.

The listener (files/listen.py running login_signal.py, HTTPS, pid PID, log LOG, events EVENTS, refusal lines at
most one per INTERVAL seconds) is sent, over real TLS connections from this process:

1. requests whose framing HTTP/1.1 forbids or that an attacker would try (each with the right bearer token, so the
   framing is what is refused), each answered with its status, none queueing an event;
2. a request with a wrong token and a body never sent: answered 401 at once (the token is checked before the body);
3. 300 hostile connections at once (100 sending 8 KiB header lines without end, 100 that never send a TLS
   ClientHello, 100 unauthenticated requests whose body never comes), while real signals are sent: each real signal
   is answered, the median within 1 s, and the listener's peak resident memory (VmHWM) stays within 2x its idle
   resident memory (VmRSS after one signal);
4. 1,100 connections that send nothing (the listener runs with 1,024 file descriptors): a real signal is answered,
   and no "Too many open files" is logged.

Then the log: no refused value in it (the bearer token and a secret-shaped host sent as values), every line one
record (no injected newline), no traceback, the refusals counted exactly (phase 1) and in lines rate-limited to one
per INTERVAL. Prints what it measured; exits 1 on the first failed check.
"""

import asyncio
import json
import re
import resource
import socket
import ssl
import statistics
import sys
import time

PORT, CAFILE, TOKENFILE, PID, LOG, EVENTS = sys.argv[1:7]
INTERVAL = float(sys.argv[7])
with open(TOKENFILE) as _handle:
    TOKEN = _handle.read().strip()
SHORT_SECRET = 'Zq7tW3xN9pL2vB8kCANARYLSTNSHORT'  # shaped like a host name, shorter than 40: no credential shape
CONTEXT = ssl.create_default_context(cafile=CAFILE)


def fail(message):
    print('FAILED: ' + message, flush=True)
    sys.exit(1)


def memory(field):
    """The listener's VmRSS or VmHWM, in MiB."""
    with open('/proc/%s/status' % PID) as handle:
        for line in handle:
            if line.startswith(field + ':'):
                return int(line.split()[1]) / 1024.0
    fail('no %s for pid %s (the listener is gone?)' % (field, PID))


def request(body=None, head=None, method='POST', path='/login', token=None, length=None, version=' HTTP/1.1',
            eol='\r\n'):
    body = json.dumps({'host': 'ws1'}).encode() if body is None else body
    lines = ['%s %s%s' % (method, path, version), 'Host: 127.0.0.1:%s' % PORT,
             'Authorization: Bearer %s' % (TOKEN if token is None else token), 'Content-Type: application/json']
    if length is not False:
        lines.append('Content-Length: %s' % (len(body) if length is None else length))
    lines += head or []
    return (eol.join(lines) + eol + eol).encode('latin-1') + body


def exchange(raw, timeout=5.0):
    """The status the listener answers raw with ('none' when it closes without an answer) and the seconds it took."""
    start = time.monotonic()
    with socket.create_connection(('127.0.0.1', int(PORT)), timeout=timeout) as plain:
        with CONTEXT.wrap_socket(plain, server_hostname='127.0.0.1') as conn:
            try:
                conn.sendall(raw)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # refused from its head, while the rest was still being sent: the answer is read below
            answer = b''
            try:
                while b'\r\n' not in answer:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    answer += chunk
            except (socket.timeout, ConnectionResetError, ssl.SSLError):
                pass
    took = time.monotonic() - start
    match = re.match(br'HTTP/1\.1 (\d{3}) ', answer)
    return (match.group(1).decode() if match else 'none'), took


def events():
    with open(EVENTS) as handle:
        return [json.loads(line) for line in handle if line.strip()]


def refusal_lines():
    with open(LOG, errors='replace') as handle:
        return [line for line in handle if 'login_signal: refused' in line]


def counted(lines):
    """How many refusals the lines account for: 1 for a line about one, N for a summary of N."""
    total = 0
    for line in lines:
        more = re.search(r'refused (\d+) more', line)
        total += int(more.group(1)) if more else 1
    return total


FRAMING = [
    ('a good signal', request(), '200'),
    ('Content-Length twice', request(head=['Content-Length: 15']), '400'),
    ('Content-Length +15', request(length='+15'), '400'),
    ('Content-Length 1_5', request(length='1_5'), '400'),
    ('Content-Length "15, 15"', request(length='15, 15'), '400'),
    ('Content-Length 0x0f', request(length='0x0f'), '400'),
    ('Transfer-Encoding beside Content-Length', request(head=['Transfer-Encoding: chunked']), '400'),
    ('Transfer-Encoding alone', request(length=False, head=['Transfer-Encoding: chunked'],
                                        body=b'f\r\n{"host": "ws1"}\r\n0\r\n\r\n'), '411'),
    ('no Content-Length', request(length=False), '411'),
    ('a space before the colon', request(head=['X-Note : 1']), '400'),
    ('a folded header line', request(head=['X-Note: 1', ' continued']), '400'),
    ('a NUL in a header value', request(head=['X-Note: a\x00b']), '400'),
    ('bare LF line ends', request(eol='\n'), '400'),
    ('a request line without a version', request(version=''), '400'),
    ('HTTP/2.0 in the request line', request(version=' HTTP/2.0'), '400'),
    ('no Host header', request().replace(b'Host: 127.0.0.1:%s\r\n' % PORT.encode(), b''), '400'),
    ('Authorization twice', request(head=['Authorization: Bearer ' + TOKEN]), '400'),
    ('a JSON array 990 deep', request(body=b'[' * 990 + b']' * 990), '400'),
    ('a host with a newline', request(body=b'{"host": "ws1\\n"}'), '400'),
    ('the bearer token as host', request(body=json.dumps({'host': TOKEN}).encode()), '403'),
    ('a secret-shaped host', request(body=json.dumps({'host': SHORT_SECRET}).encode()), '403'),
    ('a secret-shaped field name', request(body=json.dumps({'host': 'ws1', SHORT_SECRET: 1}).encode()), '400'),
    ('99 header lines of 8 KiB', request(head=['X-Pad-%d: %s' % (i, 'a' * 8000) for i in range(99)]), '431'),
    ('one header line of 20 KiB', request(head=['X-Pad: ' + 'a' * 20000]), '431'),
]


def framing():
    print('== framing and values: each request answered with its status', flush=True)
    refused = 0
    for name, raw, status in FRAMING:
        got, took = exchange(raw)
        print('   %-42s HTTP %s (%.2f s)' % (name, got, took), flush=True)
        if got != status:
            fail('%s: expected HTTP %s, got %s' % (name, status, got))
        refused += status != '200'
    print('== the token is checked before the body is read: a wrong token, a body never sent', flush=True)
    got, took = exchange(request(token='not-the-token-0123456789', length=512, body=b''), timeout=9)
    print('   HTTP %s after %.2f s' % (got, took), flush=True)
    if got != '401' or took > 2:
        fail('a wrong token with a pending body: expected HTTP 401 at once, got %s after %.2f s' % (got, took))
    refused += 1
    return refused


async def slow_headers(stop):
    reader, writer = await asyncio.open_connection('127.0.0.1', int(PORT), ssl=CONTEXT, server_hostname='127.0.0.1')
    writer.write(b'POST /login HTTP/1.1\r\n')
    for i in range(99):
        if stop.is_set():
            break
        writer.write(b'X-Pad-%d: %s\r\n' % (i, b'a' * 8000))
        await writer.drain()
        await asyncio.sleep(0.05)
    await stop.wait()
    writer.close()


async def silent(stop):
    _reader, writer = await asyncio.open_connection('127.0.0.1', int(PORT))
    await stop.wait()
    writer.close()


async def pending_body(stop):
    _reader, writer = await asyncio.open_connection('127.0.0.1', int(PORT), ssl=CONTEXT, server_hostname='127.0.0.1')
    writer.write(request(token='not-the-token-0123456789', length=1000, body=b''))
    await writer.drain()
    await stop.wait()
    writer.close()


async def guarded(coro):
    try:
        await coro
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError):
        pass  # the listener may drop a hostile connection: that is its job


async def real_signals(count):
    took = []
    for _signal in range(count):
        status, seconds = await asyncio.to_thread(exchange, request(), 10)
        if status != '200':
            fail('a real signal under attack was answered HTTP %s after %.2f s' % (status, seconds))
        took.append(seconds)
    return took


async def attack():
    print('== 300 hostile connections at once, and real signals among them', flush=True)
    idle = memory('VmRSS')
    stop = asyncio.Event()
    tasks = [asyncio.create_task(guarded(kind(stop))) for kind in (slow_headers, silent, pending_body) for _i in range(100)]
    await asyncio.sleep(1.5)
    took = await real_signals(5)
    await asyncio.sleep(1.0)
    during = memory('VmRSS')
    stop.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(1.0)
    peak, after = memory('VmHWM'), memory('VmRSS')
    print('   real signals answered in %s s (median %.3f s)'
          % (', '.join('%.3f' % t for t in took), statistics.median(took)), flush=True)
    print('   listener memory: idle %.1f MiB, during %.1f MiB, peak %.1f MiB (%.2fx idle), after %.1f MiB'
          % (idle, during, peak, peak / idle, after), flush=True)
    if statistics.median(took) > 1.0:
        fail('the real signals took %.3f s (median) under attack, over 1 s' % statistics.median(took))
    if peak > 2 * idle:
        fail('the listener peaked at %.1f MiB, over twice its idle %.1f MiB' % (peak, idle))

    print('== 1,100 connections that send nothing (the listener has 1,024 file descriptors)', flush=True)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    stop = asyncio.Event()
    tasks = [asyncio.create_task(guarded(silent(stop))) for _i in range(1100)]
    await asyncio.sleep(2.0)
    took = await real_signals(3)
    stop.set()
    await asyncio.gather(*tasks)
    print('   real signals answered in %s s' % ', '.join('%.3f' % t for t in took), flush=True)
    if statistics.median(took) > 1.0:
        fail('the real signals took %.3f s (median) beside 1,100 idle connections' % statistics.median(took))
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return 8


def main():
    status, _took = exchange(request())  # the warm-up signal: idle is measured after one
    if status != '200':
        fail('the warm-up signal was answered HTTP %s' % status)
    time.sleep(INTERVAL + 0.5)
    before = counted(refusal_lines())
    refused = framing()
    time.sleep(INTERVAL + 0.5)  # the summary of the refusals above is written
    logged = counted(refusal_lines()) - before
    print('   %d refusals, %d counted in the log' % (refused, logged), flush=True)
    if logged != refused:
        fail('%d requests were refused and the log counts %d' % (refused, logged))
    started, lines_before = time.monotonic(), len(refusal_lines())
    good = 2 + asyncio.run(attack())
    time.sleep(INTERVAL + 0.5)
    elapsed = time.monotonic() - started
    lines = refusal_lines()[lines_before:]
    total = counted(lines)
    print('== the log: %d refusal lines in %.0f s accounting for %d refused or dropped connections'
          % (len(lines), elapsed, total), flush=True)
    if total < 300:
        fail('the log accounts for %d hostile connections, not all 300' % total)
    if len(lines) > elapsed / INTERVAL + 2:
        fail('%d refusal lines in %.0f s: not rate-limited to one per %s s' % (len(lines), elapsed, INTERVAL))
    with open(LOG, errors='replace') as handle:
        log = handle.read()
    for what, value in (('the bearer token', TOKEN), ('a secret-shaped value', SHORT_SECRET)):
        if value in log:
            fail('%s is in the log' % what)
    for bad in ('Too many open files', 'Traceback', 'RecursionError', 'exception was never retrieved'):
        if bad in log:
            fail('the log holds %r' % bad)
    stray = [line for line in log.splitlines() if not line.startswith('LOG ')]
    if stray:
        fail('%d log line(s) are not records of their own (an injected newline?): %r' % (len(stray), stray[:2]))
    got = events()
    if len(got) != good or any(e['claudeops_login']['host'] != 'ws1' for e in got):
        fail('%d real signals were sent and %d events queued: %r' % (good, len(got), got[:3]))
    print('hostile.py: all checks passed', flush=True)


if __name__ == '__main__':
    main()
