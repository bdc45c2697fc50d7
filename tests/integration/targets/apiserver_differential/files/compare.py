# Part of the apiserver_differential integration target: compare two recordings (files/record) of the same scenario,
# one against the real kube-apiserver and one against the stand-in, request by request. Both must send the same
# requests (method, path, query, content type: the modules decide from the answers, so the first differing answer
# shows as a differing request after it) and get the same answers on every field the collection reads.
#
#   python compare.py REAL.jsonl STANDIN.jsonl
#
# Made equal before comparing, because they differ by nature and the collection reads them only for equality:
# resourceVersion (each becomes the order in which it first appeared in its recording) and the times the runs wrote
# (claudeops.io/captured-at). Exit status 1, with each difference, when they disagree.
import json
import sys

TIMES = ('claudeops.io/captured-at',)


def normalise(lines):
    versions = {}

    def walk(value):
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key == 'resourceVersion' and isinstance(item, str):
                    item = 'rv%d' % versions.setdefault(item, len(versions) + 1)
                elif key in TIMES:
                    item = '<time>'
                else:
                    item = walk(item)
                out[key] = item
            return out
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return [walk(line) for line in lines]


def differences(left, right, path=''):
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(set(left) | set(right)):
            yield from differences(left.get(key), right.get(key), '%s.%s' % (path, key) if path else key)
    elif left != right:
        yield '%s: real %s, stand-in %s' % (path, json.dumps(left), json.dumps(right))


def main(real_file, standin_file):
    real = normalise([json.loads(line) for line in open(real_file)])
    standin = normalise([json.loads(line) for line in open(standin_file)])
    found = 0
    for number, (one, two) in enumerate(zip(real, standin), 1):
        request = '%s %s%s' % (one['method'], one['path'], '?' + '&'.join('%s=%s' % tuple(q) for q in one['query'])
                               if one['query'] else '')
        for line in differences(one, two):
            print('request %d (%s): %s' % (number, request, line))
            found += 1
        if one['method'] != two['method'] or one['path'] != two['path']:
            print('the requests part here; the rest is not compared')
            break
    if len(real) != len(standin):
        print('%d requests to the real server, %d to the stand-in' % (len(real), len(standin)))
        found += 1
    shapes = sorted({(r['method'], r['contentType'] or '-', r['status']) for r in real})
    print('%d requests compared; request shapes (method, content type, status): %s'
          % (min(len(real), len(standin)), ', '.join('%s %s %s' % s for s in shapes)))
    if found:
        sys.exit('the stand-in answers otherwise than kube-apiserver: %d differences' % found)
    print('the stand-in answered as kube-apiserver did, on every field compared')


if __name__ == '__main__':
    main(*sys.argv[1:3])
