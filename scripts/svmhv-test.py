#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Run svmhv's test suites and count their results.

  svmhv-test.py boot  --name N --kernel K --initrd I --suites a,b [...]
      Boot the test machine (QEMU TCG, emulated EPYC) and parse the framed
      TAP/KTAP the initramfs prints on its second serial port.
  svmhv-test.py local --name N -- COMMAND...
      Run a local command that prints framed TAP (make check-host, style).
  svmhv-test.py summary
      Print the totals and exit 1 on any failure or when nothing ran.

Framing, as selftests/run-suites.sh prints it:
  # svmhv-suite: NAME / TAP lines / # svmhv-exit: NAME STATUS
Each run appends one line per suite to $SVMHV_RESULTS:
  NAME PASSED FAILED SKIPPED
and one line per metric a test printed ("# svmhv-metric: KEY N") or the
runner counted (host-reports: kernel-log reports of a boot):
  metric KEY N BOOT
and one line per failed test, each followed by the last lines its test
printed before the failure:
  failure NAME WHY / context NAME LINE
The summary adds up the metrics and shows the first failures with their
lines just before its last line, where the tail of a CI log shows them.
"""

import argparse
import collections
import fcntl
import os
import re
import select
import subprocess
import sys
import time

RESULT_RE = re.compile(r'^(\s*)(not ok|ok)\s+\d+\s*-?\s*(.*)$')
PLAN_RE = re.compile(r'^\s*1\.\.(\d+)')
SKIP_RE = re.compile(r'#\s*SKIP', re.IGNORECASE)
METRIC_RE = re.compile(r'^\s*#\s*svmhv-metric:\s*([a-z0-9-]+)\s+(\d+)\s*$')
KSFT_SKIP = 4
# Lines kept before a failure, and failures shown in the summary.
CONTEXT_LINES = 6
SUMMARY_FAILURES = 3

# Kernel log lines that fail a boot whatever the tests said.
BAD_LOG = re.compile(
    r'\bBUG[: ]|WARNING:|\bOops\b|general protection fault|Kernel panic|'
    r'KASAN:|UBSAN:|unreferenced object|suspected memory leak|'
    r'INFO: possible|INFO: inconsistent|DEBUG_LOCKS_WARN_ON|'
    r'soft lockup|hard LOCKUP|rcu.*detected stall|blocked for more than|'
    r'Call Trace:')

# Lines that match BAD_LOG but are no problem: the stock kernel describing
# the emulated CPU, and kmemleak's count after the scan run-suites.sh makes
# before the tests to set aside what boot left (its kmemleak suite lists
# every leak found after that).
BENIGN_LOG = re.compile(
    r'Speculative Return Stack Overflow: WARNING: See https://|'
    r'kmemleak: \d+ new suspected memory leaks')

# In the lines after a kernel report: where it happened (RIP) and the
# frames of its call trace, "func+0x1f/0x80 [module]".
WHERE_LOG = re.compile(r'RIP: |\s\??\s*[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+')
# How many of those the first report of a boot keeps, and how far on.
WHERE_LINES = 8
WHERE_SPAN = 60


class Suite:
    def __init__(self, name):
        self.name = name
        self.passed = self.failed = self.skipped = 0
        self.plan = None
        self.results = 0
        self.exit = None
        # The lines printed since the last result: a failure's diagnosis.
        self.context = collections.deque(maxlen=CONTEXT_LINES)
        # A failure's lines: the last ones before it, then the first ones
        # after it up to the next result (unittest prints its reason
        # after).
        self.failures = []
        self.after = None
        # Its time on the runner's clock, from its frame's first line to
        # its last (None when it did not finish): where a boot's time goes.
        self.start = time.monotonic()
        self.took = None

    def line(self, line):
        m = RESULT_RE.match(line)
        if not m:
            m = PLAN_RE.match(line)
            if m and self.plan is None and not line.startswith(' '):
                self.plan = int(m.group(1))
            elif line.strip():
                self.context.append(line.rstrip())
                if self.after is not None and \
                        len(self.after) < CONTEXT_LINES:
                    self.after.append(line.rstrip())
            return
        self.after = None
        indent, status, desc = m.groups()
        # KUnit: count test cases (indented); the suite lines that
        # sum them up sit at column 0 and are not counted again.
        if self.name == 'kunit' and not indent:
            if status == 'not ok' and not self.failed:
                self.fail('kunit suite failed: ' + desc)
            return
        if self.name != 'kunit' and indent:
            return
        self.results += 1
        if SKIP_RE.search(desc):
            self.skipped += 1
        elif status == 'ok':
            self.passed += 1
        else:
            self.fail(desc)
        self.context.clear()

    def fail(self, why):
        self.failed += 1
        self.after = []
        self.failures.append((why, list(self.context), self.after))
        self.context.clear()

    def close(self):
        if self.exit is None:
            self.fail('did not finish')
        elif self.name != 'kunit' and self.plan is not None and \
                self.results < self.plan:
            self.fail('%d of %d planned results missing' %
                      (self.plan - self.results, self.plan))
        elif self.exit not in (0, KSFT_SKIP) and not self.failed:
            self.fail('exit status %d' % self.exit)
        if not (self.passed or self.failed or self.skipped):
            self.fail('no results')


class Parser:
    def __init__(self, label, expected):
        self.label = label
        self.expected = list(expected)
        self.suites = []
        self.cur = None
        self.done = False
        self.metrics = {}

    def feed(self, line):
        line = line.rstrip('\r\n')
        m = METRIC_RE.match(line)
        if m:
            key = m.group(1)
            self.metrics[key] = self.metrics.get(key, 0) + int(m.group(2))
        if line.startswith('# svmhv-suite: '):
            self.cur = Suite(line.split(': ', 1)[1].strip())
            self.suites.append(self.cur)
        elif line.startswith('# svmhv-exit: ') and self.cur:
            self.cur.exit = int(line.split()[-1])
            self.cur.took = time.monotonic() - self.cur.start
            self.cur.close()
            self.cur = None
        elif line.startswith('# svmhv-done'):
            self.done = True
        elif self.cur:
            self.cur.line(line)

    def finish(self, extra_failure=None):
        if self.cur:
            self.cur.close()
        seen = {s.name for s in self.suites}
        for name in self.expected:
            if name not in seen:
                s = Suite(name)
                s.fail('did not run' + (': ' + extra_failure
                                        if extra_failure else ''))
                self.suites.append(s)
        return self.suites


def record(label, suites, extra=(), metrics=None):
    path = os.environ.get('SVMHV_RESULTS')
    metrics = metrics or {}
    rows = [(label + ':' + s.name, s.passed, s.failed, s.skipped,
             [(why, before + after) for why, before, after in s.failures])
            for s in suites]
    took = {label + ':' + s.name: s.took for s in suites}
    rows.extend((name, p, f, s,
                 [n if isinstance(n, tuple) else (n, []) for n in notes])
                for name, p, f, s, notes in extra)
    for name, p, f, s, failures in rows:
        secs = took.get(name)
        print('svmhv: suite %-36s %3d passed, %d failed, %d skipped%s' %
              (name, p, f, s, '' if secs is None else ' (%.0f s)' % secs))
        for why, _ in failures:
            print('svmhv:     failed: %s' % why)
    for key in sorted(metrics):
        print('svmhv: %s: %s %d' % (label, key, metrics[key]))
    if path:
        # Boots run two at a time (check.sh's lanes): one writer at once.
        with open(path, 'a') as out:
            fcntl.flock(out, fcntl.LOCK_EX)
            for name, p, f, s, _ in rows:
                out.write('%s %d %d %d\n' % (name, p, f, s))
            for key in sorted(metrics):
                out.write('metric %s %d %s\n' % (key, metrics[key], label))
            for name, _, _, _, failures in rows:
                for why, context in failures:
                    out.write('failure %s %s\n' % (name, why))
                    for ln in context:
                        out.write('context %s %s\n' % (name, ln))
    return all(r[2] == 0 for r in rows)


class Quiet:
    """How long a boot has printed nothing: no TAP line on the second
    serial port, no growth of the console log."""

    def __init__(self, start):
        self.last = start
        self.size = 0

    def output(self, now):
        self.last = now

    def console(self, now, size):
        if size != self.size:
            self.size = size
            self.last = now

    def longer_than(self, now, limit):
        """Silent for more than @limit seconds (0: no limit)?"""
        return bool(limit) and now - self.last > limit


def file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def qemu_cmd(a, console):
    cmd = ['qemu-system-x86_64', '-accel', 'tcg', '-cpu', a.cpu,
           '-smp', str(a.smp), '-m', a.mem, '-nodefaults', '-no-reboot',
           '-display', 'none', '-monitor', 'none',
           '-kernel', a.kernel, '-initrd', a.initrd,
           '-append', 'console=ttyS0 panic=-1 loglevel=7 ' + a.append,
           '-serial', 'file:' + console, '-serial', 'stdio']
    if a.qemu_log:
        cmd += ['-d', 'int,cpu_reset', '-D', a.qemu_log]
    return cmd


def boot(a):
    """Boot; with --retry-on-timeout, boot once more after a timeout, for
    the suite that was running and those after it (boot_once() recorded
    the ones that finished)."""
    append = a.append
    for attempt in range(2 if a.retry_on_timeout else 1):
        a.append = append
        rc, timed_out = boot_once(a)
        if not timed_out:
            break
        if attempt == 0 and a.retry_on_timeout:
            print('svmhv: %s timed out: booting once more as %s-retry for '
                  '%s (the emulated machine hangs now and then: '
                  'docs/testing.md)' % (a.name, a.name,
                                        a.suites or 'no suites'),
                  flush=True)
            a.name += '-retry'

    return rc


def log_clean_row(name, notes):
    """The row of a boot's kernel-log check: failed when there are notes."""
    return (name + ':kernel-log-clean', 0 if notes else 1,
            1 if notes else 0, 0, notes)


def record_before_retry(a, results, notes, metrics):
    """A boot timed out and is booted once more: record the suites that
    finished and the kernel log's reports so far (notes), and leave in
    a.suites the one that was running and those after it (all of them
    again if every one finished)."""
    done = [s for s in results if s.exit is not None]
    left = [s.name for s in results if s.exit is None]
    if left:
        a.suites = ','.join(left)
        record(a.name, done, [log_clean_row(a.name, notes)], metrics)


def boot_once(a):
    os.makedirs(a.log_dir, exist_ok=True)
    console = os.path.join(a.log_dir, a.name + '.console.log')
    tap_log = os.path.join(a.log_dir, a.name + '.tap.log')
    suites = [s for s in a.suites.split(',') if s]
    if suites:
        a.append += ' svmhv.run=' + ','.join(suites)
    parser = Parser(a.name, suites)
    print('svmhv: booting %s (%s), timeout %d s' % (a.name, a.cpu, a.timeout),
          flush=True)
    start = time.monotonic()
    qemu_err = open(os.path.join(a.log_dir, a.name + '.qemu.log'), 'w')
    proc = subprocess.Popen(qemu_cmd(a, console), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=qemu_err)
    timed_out = False
    quiet = Quiet(start)
    buf = b''
    # Line-buffered: the log shows how far a long boot has got.
    with open(tap_log, 'w', buffering=1) as tap:
        while True:
            now = time.monotonic()
            left = a.timeout - (now - start)
            quiet.console(now, file_size(console))
            if left <= 0 or quiet.longer_than(now, a.silence):
                timed_out = True
                proc.kill()
                break
            ready, _, _ = select.select([proc.stdout], [], [], min(left, 5))
            if not ready:
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            quiet.output(time.monotonic())
            if not chunk:
                break
            buf += chunk
            *lines, buf = buf.split(b'\n')
            for raw in lines:
                line = raw.decode('utf-8', 'replace')
                tap.write(line + '\n')
                if a.verbose or a.demo:
                    print(('  ' if not a.demo else '') + line, flush=True)
                parser.feed(line)
    proc.wait()
    qemu_err.close()
    took = time.monotonic() - start
    print('svmhv: %s finished in %.0f s%s' %
          (a.name, took, ' (TIMEOUT)' if timed_out else ''), flush=True)

    if timed_out and took < a.timeout:
        problem = 'silent for %d s: timeout' % a.silence
    elif timed_out:
        problem = 'timeout after %d s' % a.timeout
    else:
        problem = None if parser.done else 'test machine stopped early'
    results = parser.finish(problem)

    try:
        with open(console, errors='replace') as f:
            bad = kernel_reports(f.read().splitlines())
    except OSError as e:
        bad = [('cannot read console log: %s' % e, [])]
    notes = [('kernel log: ' + b, where) for b, where in bad[:20]]
    # Every kernel-log report counts, the kmemleak suite's leaks included
    # (run-suites.sh prints those as a metric of their own).
    metrics = dict(parser.metrics)
    metrics['host-reports'] = metrics.get('host-reports', 0) + len(bad)
    if timed_out and a.retry_on_timeout and not a.retried:
        a.retried = True
        print('svmhv: %s: %s; logs kept in %s' % (a.name, problem, console))
        record_before_retry(a, results, notes, metrics)
        return 1, True
    if problem:
        notes.append(problem)
    extra = [log_clean_row(a.name, notes)]
    if bad or problem or any(s.failed for s in results):
        print('svmhv: %s logs: %s, %s' % (a.name, console, tap_log))
        with open(console, errors='replace') as f:
            tail = f.readlines()[-40:]
        print('svmhv: last lines of the kernel log:')
        sys.stdout.write(''.join('  | ' + ln for ln in tail))
    return (0 if record(a.name, results, extra, metrics) else 1), False


def kernel_reports(lines):
    """The kernel log's reports: (line, where) for each line BAD_LOG
    matches and BENIGN_LOG does not; the first one's where has the RIP
    and call-trace lines after it (the rest have none), so that a
    summary shows what the kernel was doing."""
    bad = []
    for i, ln in enumerate(lines):
        if not BAD_LOG.search(ln) or BENIGN_LOG.search(ln):
            continue
        where = []
        if not bad:
            where = [w.rstrip() for w in lines[i + 1:i + 1 + WHERE_SPAN]
                     if WHERE_LOG.search(w)][:WHERE_LINES]
        bad.append((ln.rstrip(), where))
    return bad


def local(a):
    parser = Parser(a.name, [])
    proc = subprocess.Popen(a.command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, bufsize=1)
    for line in proc.stdout:
        if a.verbose:
            print('  ' + line, end='', flush=True)
        parser.feed(line)
    rc = proc.wait()
    extra = []
    if rc:
        extra.append((a.name + ':command', 0, 1, 0,
                      ['%s exited %d' % (a.command[0], rc)]))
    return 0 if record(a.name, parser.finish(), extra, parser.metrics) else 1


# What the summary totals, in its order.
METRICS = (('fuzz-ioctls', 'fuzzed ioctls'),
           ('adversarial-cases', 'adversarial guest cases'),
           ('fault-sites', 'allocations made to fail (fault_test)'),
           ('host-reports', 'host reports (kernel log and kmemleak)'))


def kvm_selftests(metrics):
    """The pass counts of KVM's selftests, per boot and configuration
    (kvm-selftests-judge.py's metrics kvmst-pass-BOOT-CONFIG)."""
    tests = sum(n for _, n in metrics.get('kvmst-tests', []))
    passes = sorted((k[len('kvmst-pass-'):], sum(n for _, n in v))
                    for k, v in metrics.items()
                    if k.startswith('kvmst-pass-'))
    if tests or passes:
        print('svmhv: KVM selftests passed (of %d): %s' % (
            tests, ', '.join('%s %d' % p for p in passes) or 'none ran'))


def summary(_a):
    path = os.environ.get('SVMHV_RESULTS')
    p = f = s = 0
    metrics = {}
    failures = []
    if path and os.path.exists(path):
        with open(path) as inp:
            for row in inp:
                cols = row.split()
                if cols[0] == 'metric':
                    metrics.setdefault(cols[1], []).append(
                        (cols[3], int(cols[2])))
                    continue
                if cols[0] in ('failure', 'context'):
                    text = row.rstrip('\n').split(' ', 2)[2:] or ['']
                    if cols[0] == 'failure':
                        failures.append((cols[1], text[0], []))
                    elif failures:
                        failures[-1][2].append(text[0])
                    continue
                _, rp, rf, rs = cols
                p, f, s = p + int(rp), f + int(rf), s + int(rs)
    for key, label in METRICS:
        per_boot = metrics.get(key, [])
        print('svmhv: %s: %d (%s)' % (
            label, sum(n for _, n in per_boot),
            ', '.join('%s %d' % b for b in per_boot) or 'not run'))
    kvm_selftests(metrics)
    # The failures last, where a log's tail shows them: each with the
    # lines its test printed before it.  A kernel report comes first: a
    # boot's tests fail after it, because of it.
    failures.sort(key=lambda fl: not fl[0].endswith(':kernel-log-clean'))
    for name, why, context in failures[:SUMMARY_FAILURES]:
        print('svmhv: FAILED %s: %s' % (name, why))
        for ln in context:
            print('svmhv:   | %s' % ln)
    if len(failures) > SUMMARY_FAILURES:
        print('svmhv: ... and %d more failures (above)' %
              (len(failures) - SUMMARY_FAILURES))
    if p + f == 0:
        f += 1
        print('svmhv: no test ran')
    print('%d passed, %d failed, %d skipped' % (p, f, s))
    return 1 if f else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    b = sub.add_parser('boot')
    b.add_argument('--name', required=True)
    b.add_argument('--kernel', required=True)
    b.add_argument('--initrd', required=True)
    b.add_argument('--suites', default='')
    b.add_argument('--append', default='')
    b.add_argument('--cpu', default='EPYC-Rome,+svm,+npt')
    b.add_argument('--smp', type=int, default=2)
    b.add_argument('--mem', default='2G')
    b.add_argument('--timeout', type=int, default=900)
    b.add_argument('--log-dir', default='build/logs')
    b.add_argument('--qemu-log')
    b.add_argument('--silence', type=int, default=0,
                   help='a timeout, too, when neither serial port has '
                   'printed for this many seconds (0: never)')
    b.add_argument('--retry-on-timeout', action='store_true',
                   help='boot once more if the first boot times out')
    b.add_argument('--demo', action='store_true',
                   help='print the guest output as it comes, unindented')
    b.add_argument('-v', '--verbose', action='store_true')
    lo = sub.add_parser('local')
    lo.add_argument('--name', required=True)
    lo.add_argument('-v', '--verbose', action='store_true')
    lo.add_argument('command', nargs='+')
    sub.add_parser('summary')
    a = ap.parse_args()
    a.retried = False
    return {'boot': boot, 'local': local, 'summary': summary}[a.cmd](a)


if __name__ == '__main__':
    sys.exit(main())
