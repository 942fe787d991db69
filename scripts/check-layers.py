#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-layers.py [TOP]: the kernel code's includes against layers.txt.

Prints TAP: one result per source file of svm/, npt/, shadow/ and vdev/
(listed in scripts/layers.txt, and including no header of a higher
layer), then one for the include graph having no cycle.
"""
import os
import re
import sys

DIRS = ('svm', 'npt', 'shadow', 'vdev')
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_layers(path):
    layers = {}
    with open(path) as f:
        for line in f:
            words = line.split('#', 1)[0].split()
            if not words:
                continue
            for name in words[2:]:
                layers[name] = int(words[0])
    return layers


def sources(top):
    for d in DIRS:
        for name in sorted(os.listdir(os.path.join(top, d))):
            if re.search(r'\.(c|h|S)$', name):
                yield d + '/' + name


def is_test(path):
    return re.search(r'(_test\.c|_kunit\.h)$', path) is not None


def includes(top, path):
    found = []
    with open(os.path.join(top, path)) as f:
        for line in f:
            m = INCLUDE.match(line)
            if m:
                target = os.path.normpath(
                    os.path.join(os.path.dirname(path), m.group(1)))
                found.append(target)
    return found


def find_cycle(graph):
    state = {}

    def visit(node, stack):
        state[node] = 'open'
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 'open':
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, stack + [nxt])
                if cycle:
                    return cycle
        state[node] = 'done'
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else '.'
    layers = read_layers(os.path.join(top, 'scripts', 'layers.txt'))
    files = list(sources(top))
    graph = {f: includes(top, f) for f in files}
    print('1..%d' % (len(files) + 1))
    for n, path in enumerate(files, 1):
        problems = []
        if not is_test(path) and path not in layers:
            problems.append('not in scripts/layers.txt')
        elif not is_test(path):
            for inc in graph[path]:
                if inc not in layers:
                    problems.append('includes %s, not in layers.txt' % inc)
                elif layers[inc] > layers[path]:
                    problems.append('layer %d includes %s of layer %d' %
                                    (layers[path], inc, layers[inc]))
        for p in problems:
            print('# %s: %s' % (path, p))
        print('%s %d %s' % ('not ok' if problems else 'ok', n, path))
    cycle = find_cycle(graph)
    if cycle:
        print('# include cycle: ' + ' -> '.join(cycle))
    print('%s %d no include cycle' % ('not ok' if cycle else 'ok',
                                      len(files) + 1))


if __name__ == '__main__':
    main()
