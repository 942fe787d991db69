#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Judge KVM's own selftests on svmhv against kvm_amd.

  kvm-selftests-judge.py --log-dir DIR --expect FILE [--table OUT] BOOT...

Reads the lines selftests/kvm_selftests.sh printed in each boot's TAP
log (DIR/BOOT.tap.log, and DIR/BOOT-retry.tap.log after a retry),

  # kvm-selftest: CONFIG NAME RESULT SECONDS

and prints framed TAP for svmhv-test.py local: one result per test and
svmhv configuration (BOOT:svmhv-npt, BOOT:svmhv-shadow), judged against
kvm_amd under the same MMU (kvm-npt, kvm-shadow: each test's result
from the first boot that ran it):

  svmhv passes                              ok
  not run in that boot (KVM_SELFTESTS_SKIP) ok # SKIP
  kvm_amd passes, svmhv does not:
      the expect file has a line for it     ok # SKIP expected: REASON
      it has none                           not ok
  neither passes                            ok # SKIP (with both results)
  svmhv passes, but the expect file says
  it does not                               not ok (the line must go)

The expect file has one line per test that does not pass on svmhv
although it passes on kvm_amd: "NAME: REASON" for both MMUs,
"NAME@npt: REASON" or "NAME@shadow: REASON" for one.  A REASON that
starts with "sometimes:" is a test that fails now and then and passes
otherwise: both are ok (a pass needs no change to the file).  '#' starts
a comment.

It also prints the table of every result (test x configuration) as
comments, writes it to OUT, and prints the pass counts as metrics
(kvmst-pass-BOOT-CONFIG, kvmst-tests) for the summary.
"""

import argparse
import os
import re
import sys

LINE_RE = re.compile(r'^# kvm-selftest: (\S+) (\S+) (\S+) (\d+)\s*$')
RESULTS = ('pass', 'fail', 'skip', 'timeout', 'build-failed')
MMUS = ('npt', 'shadow')


def read_results(log_dir, boots):
    """{(boot, config): {test: (result, seconds)}} and the tests in
    their first order of appearance."""
    cols, order = {}, []
    # A boot that timed out and was booted once more (svmhv-test.py
    # --retry-on-timeout) has the rest of its results in BOOT-retry.
    paths = [(b, os.path.join(log_dir, b + suffix + '.tap.log'))
             for b in boots for suffix in ('', '-retry')]
    for boot, path in paths:
        if not os.path.exists(path):
            continue
        with open(path, errors='replace') as f:
            for ln in f:
                m = LINE_RE.match(ln.strip())
                if not m or m.group(3) not in RESULTS:
                    continue
                config, name, res, secs = m.groups()
                cols.setdefault((boot, config), {})[name] = (res, int(secs))
                if name not in order:
                    order.append(name)
    return cols, order


def read_expect(path):
    """{(test, mmu): reason}; a line without @MMU covers both."""
    expect = {}
    with open(path) as f:
        for num, ln in enumerate(f, 1):
            ln = ln.split('#', 1)[0].strip()
            if not ln:
                continue
            key, sep, reason = ln.partition(':')
            reason = reason.strip()
            if not sep or not reason:
                raise ValueError('%s:%d: want "NAME[@MMU]: REASON"' %
                                 (path, num))
            name, _, mmu = key.strip().partition('@')
            for m in ([mmu] if mmu else MMUS):
                if m not in MMUS:
                    raise ValueError('%s:%d: no MMU %s' % (path, num, m))
                expect[(name, m)] = reason
    return expect


def reference(cols, mmu):
    """kvm_amd's results under @mmu, test by test from the first boot
    that ran it; None when no boot did."""
    ref = None
    for (boot, config), res in cols.items():
        if config == 'kvm-' + mmu:
            ref = dict(res, **(ref or {}))
    return ref


# An expect line's reason for a test that only fails now and then.
SOMETIMES = 'sometimes:'


def judge(name, mine, ref, reason):
    """(status, text) for one test in one svmhv configuration."""
    theirs = ref.get(name, ('none', 0))[0] if ref is not None else 'none'
    if mine == 'not-run':
        return 'ok', '# SKIP not run in this boot (%s on kvm_amd)' % theirs
    if mine == 'pass':
        if reason and not reason.startswith(SOMETIMES):
            return 'not ok', 'passes, but the expect file says: ' + reason
        return 'ok', ''
    if theirs == 'pass':
        if reason:
            return 'ok', '# SKIP expected: %s (%s)' % (reason, mine)
        return 'not ok', '%s on svmhv, pass on kvm_amd' % mine
    return 'ok', '# SKIP %s on svmhv, %s on kvm_amd' % (mine, theirs)


def table(cols, order):
    keys = list(cols)
    heads = ['%s:%s' % k for k in keys]
    width = max([len(n) for n in order] + [4])
    out = ['%-*s  %s' % (width, 'test', '  '.join(
        '%-16s' % h for h in heads))]
    for name in order:
        cells = []
        for k in keys:
            res = cols[k].get(name)
            cells.append('%-16s' % ('%s %ds' % res if res else '-'))
        out.append('%-*s  %s' % (width, name, '  '.join(cells)))
    return out


def run(a):
    cols, order = read_results(a.log_dir, a.boots)
    expect = read_expect(a.expect)
    lines = table(cols, order)
    if a.table:
        with open(a.table, 'w') as f:
            f.write('\n'.join(lines) + '\n')
    for ln in lines:
        print('# ' + ln)
    print('# svmhv-metric: kvmst-tests %d' % len(order))
    for (boot, config), res in cols.items():
        print('# svmhv-metric: kvmst-pass-%s-%s %d' % (
            boot, config, sum(r == 'pass' for r, _ in res.values())))

    status = 0
    listed = {name for name, _ in expect}
    for side in ('svmhv-', 'kvm-'):
        if not any(c.startswith(side) for _, c in cols):
            print('# svmhv-suite: kvm-selftests-results')
            print('1..1')
            print('not ok 1 no %s results in %s' % (side + '*', ', '.join(
                b + '.tap.log' for b in a.boots)))
            print('# svmhv-exit: kvm-selftests-results 1')
    for (boot, config), res in cols.items():
        if not config.startswith('svmhv-'):
            continue
        mmu = config[len('svmhv-'):]
        ref = reference(cols, mmu)
        print('# svmhv-suite: kvm-selftests@%s:%s' % (boot, config))
        print('1..%d' % len(order))
        for num, name in enumerate(order, 1):
            mine = res.get(name, ('not-run', 0))[0]
            st, text = judge(name, mine, ref, expect.get((name, mmu)))
            print('%s %d %s %s' % (st, num, name, text))
        print('# svmhv-exit: kvm-selftests@%s:%s 0' % (boot, config))
    unknown = sorted(listed - set(order))
    if order and unknown:
        print('# svmhv-suite: kvm-selftests-expect')
        print('1..1')
        print('not ok 1 the expect file names tests that do not exist: ' +
              ' '.join(unknown))
        print('# svmhv-exit: kvm-selftests-expect 1')
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--log-dir', required=True)
    ap.add_argument('--expect', required=True)
    ap.add_argument('--table')
    ap.add_argument('boots', nargs='+')
    return run(ap.parse_args())


if __name__ == '__main__':
    sys.exit(main())
