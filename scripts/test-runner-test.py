#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of svmhv-test.py's TAP parsing and summary: test-runner-test.py
[--tap], as tap_unittest.main() runs them (make check: on the host)."""

import contextlib
import io
import os
import sys
import tempfile
import unittest
from unittest import mock

import tap_unittest

st = tap_unittest.load('svmhv-test.py')


def parse(text, expected=()):
    p = st.Parser('boot', expected)
    for ln in text.splitlines():
        p.feed(ln)
    return {s.name: s for s in p.finish()}


def framed(name, body, status=0):
    return '# svmhv-suite: %s\n%s\n# svmhv-exit: %s %d\n' % (
        name, body, name, status)


class OwnResultsTest(unittest.TestCase):
    """Each test writes its results to a file of its own: never to the
    $SVMHV_RESULTS of the make check that runs it (a row written there
    counts in the real summary)."""

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.path = os.path.join(tmp.name, 'results.txt')
        env = mock.patch.dict(os.environ, SVMHV_RESULTS=self.path)
        env.start()
        self.addCleanup(env.stop)


class ParserTest(OwnResultsTest):
    def test_counts(self):
        s = parse(framed('a', '1..4\nok 1 x\nnot ok 2 y\n'
                         'ok 3 z # SKIP no\nok 4 w # skip also', 1))['a']
        self.assertEqual((s.passed, s.failed, s.skipped), (1, 1, 2))
        self.assertEqual([why for why, _, _ in s.failures], ['y'])

    def test_missing_results_and_exit_status(self):
        s = parse(framed('a', '1..3\nok 1 x'))['a']
        self.assertEqual(s.failed, 1)
        self.assertIn('2 of 3 planned', s.failures[0][0])
        s = parse(framed('b', '1..1\nok 1 x', 1))['b']
        self.assertEqual((s.passed, s.failed), (1, 1))
        self.assertEqual(s.failures[0][0], 'exit status 1')
        s = parse(framed('c', '1..1\nok 1 x # SKIP', st.KSFT_SKIP))['c']
        self.assertEqual((s.failed, s.skipped), (0, 1))

    def test_suite_that_did_not_run(self):
        s = parse(framed('a', '1..1\nok 1 x'), ['a', 'b'])
        self.assertEqual(s['a'].failed, 0)
        self.assertEqual(s['b'].failed, 1)
        self.assertIn('did not run', s['b'].failures[0][0])

    def test_retry_keeps_what_finished(self):
        p = st.Parser('boot', ['a', 'b', 'c'])
        for ln in (framed('a', '1..1\nok 1 x') +
                   '# svmhv-suite: b\n1..2\nok 1 y').splitlines():
            p.feed(ln)
        a = type('A', (), dict(name='boot', suites='a,b,c'))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            st.record_before_retry(a, p.finish(), [], {})
        # b was running when the boot hung: it runs again, with c.
        self.assertEqual(a.suites, 'b,c')
        self.assertIn('boot:a ', out.getvalue())
        self.assertNotIn('boot:b ', out.getvalue())
        self.assertIn('boot:kernel-log-clean    ', out.getvalue())
        # Every suite finished (a hang at the end): all run again.
        p = st.Parser('boot', ['a'])
        for ln in framed('a', '1..1\nok 1 x').splitlines():
            p.feed(ln)
        a.suites = 'a'
        with contextlib.redirect_stdout(io.StringIO()):
            st.record_before_retry(a, p.finish(), [], {})
        self.assertEqual(a.suites, 'a')

    def test_retry_records_the_kernel_reports_so_far(self):
        p = st.Parser('boot', ['a', 'b'])
        for ln in framed('a', '1..1\nok 1 x').splitlines():
            p.feed(ln)
        a = type('A', (), dict(name='boot', suites='a,b'))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            st.record_before_retry(a, p.finish(),
                                   [('kernel log: BUG: oops', [])], {})
        row = [ln for ln in out.getvalue().splitlines()
               if 'boot:kernel-log-clean' in ln]
        self.assertEqual(len(row), 1)
        self.assertIn('0 passed, 1 failed', row[0])

    def test_kunit_counts_cases_not_suites(self):
        s = parse(framed('kunit', 'KTAP version 1\n1..1\n'
                         '    1..2\n    ok 1 c1\n    not ok 2 c2\n'
                         'not ok 1 suite', 1))['kunit']
        self.assertEqual((s.passed, s.failed), (1, 1))
        self.assertEqual(s.failures[0][0], 'c2')

    def test_failure_keeps_lines_before_and_after(self):
        body = ['1..3', '# noise of x', 'ok 1 x']
        body += ['# y line %d' % i for i in range(10)]
        body += ['not ok 2 y']
        body += ['# after %d' % i for i in range(10)]
        body += ['ok 3 z', '# not y']
        s = parse(framed('a', '\n'.join(body)))['a']
        why, before, after = s.failures[0]
        self.assertEqual(why, 'y')
        self.assertEqual(before, ['# y line %d' % i for i in
                                  range(10 - st.CONTEXT_LINES, 10)])
        self.assertEqual(after, ['# after %d' % i for i in
                                 range(st.CONTEXT_LINES)])


class SummaryTest(OwnResultsTest):
    def summary(self, results):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = st.summary(None)
        return rc, out.getvalue().splitlines()

    def record(self, text, extra=()):
        with contextlib.redirect_stdout(io.StringIO()):
            return st.record('boot', list(parse(text).values()), extra,
                             {'host-reports': 0})

    def test_failures_come_last_with_their_lines(self):
        self.assertFalse(self.record(
            framed('a', '1..2\n# why: 3 > 2\nnot ok 1 x\nok 2 y')))
        self.assertTrue(self.record(framed('b', '1..1\nok 1 z')))
        rc, lines = self.summary(self.path)
        self.assertEqual(rc, 1)
        self.assertEqual(lines[-1], '2 passed, 1 failed, 0 skipped')
        self.assertEqual(lines[-3:-1], ['svmhv: FAILED boot:a: x',
                                        'svmhv:   | # why: 3 > 2'])
        self.assertTrue(lines[-4].startswith('svmhv: host reports'))

    def test_failures_shown_are_capped(self):
        body = '\n'.join('1..9' if i < 0 else 'not ok %d t%d' % (i, i)
                         for i in range(-1, 9))
        self.record(framed('a', body),
                    [('boot:kernel-log-clean', 0, 1, 0, ['kernel log: BUG'])])
        rc, lines = self.summary(self.path)
        shown = [ln for ln in lines if ln.startswith('svmhv: FAILED')]
        self.assertEqual(len(shown), st.SUMMARY_FAILURES)
        self.assertIn('and %d more' % (10 - st.SUMMARY_FAILURES), lines[-2])
        self.assertEqual(lines[-1], '0 passed, 10 failed, 0 skipped')

    def test_kernel_report_first_with_where_it_happened(self):
        log = ['[ 1.0] svmhv: loaded',
               '[ 9.0] watchdog: BUG: soft lockup - CPU#1 stuck for 22s!',
               '[ 9.0] Modules linked in: svmhv',
               '[ 9.0] RIP: 0010:svm_foo+0x12/0x40 [svmhv]',
               '[ 9.0] RAX: 0000000000000000 RBX: 0000000000000001',
               '[ 9.0] Call Trace:',
               '[ 9.0]  <TASK>',
               '[ 9.0]  ? svm_bar+0x1/0x2 [svmhv]',
               '[ 9.0]  svm_vcpu_run+0x99/0x100 [svmhv]',
               '[31.0] watchdog: BUG: soft lockup - CPU#1 stuck for 44s!',
               '[31.0] RIP: 0010:svm_foo+0x14/0x40 [svmhv]']
        bad = st.kernel_reports(log)
        self.assertEqual([b for b, _ in bad],
                         [log[1], log[5], log[9]])
        self.assertEqual(bad[0][1], [log[3], log[7], log[8], log[10]])
        self.assertEqual(bad[1][1], [])
        self.assertEqual(st.kernel_reports(
            ['[0.1] Speculative Return Stack Overflow: WARNING: See '
             'https://kernel.org/x']), [])

        body = '\n'.join('1..4' if i < 0 else 'not ok %d t%d' % (i, i)
                         for i in range(-1, 4))
        self.record(framed('a', body),
                    [('boot:kernel-log-clean', 0, 1, 0,
                      [('kernel log: ' + b, w) for b, w in bad])])
        rc, lines = self.summary(self.path)
        failed = [ln for ln in lines if ln.startswith('svmhv: FAILED')]
        self.assertEqual(failed[0],
                         'svmhv: FAILED boot:kernel-log-clean: kernel log: '
                         + log[1])
        i = lines.index(failed[0])
        self.assertEqual(lines[i + 1], 'svmhv:   | ' + log[3])
        self.assertEqual(lines[-1], '0 passed, 5 failed, 0 skipped')

    def test_nothing_ran_fails(self):
        rc, lines = self.summary(self.path)
        self.assertEqual(rc, 1)
        self.assertEqual(lines[-2:], ['svmhv: no test ran',
                                      '0 passed, 1 failed, 0 skipped'])


class QuietTest(unittest.TestCase):
    """--silence: a boot that prints nothing on either serial port for
    that long ends as a timeout (a frozen test machine, caught sooner)."""

    def test_output_and_console_growth_both_count(self):
        q = st.Quiet(100.0)
        self.assertFalse(q.longer_than(150.0, 60))
        self.assertTrue(q.longer_than(161.0, 60))
        q.output(160.0)
        self.assertFalse(q.longer_than(219.0, 60))
        q.console(200.0, 4096)
        self.assertFalse(q.longer_than(259.0, 60))
        q.console(250.0, 4096)		# the same size: nothing new
        self.assertTrue(q.longer_than(261.0, 60))

    def test_no_limit(self):
        self.assertFalse(st.Quiet(0.0).longer_than(1e6, 0))


class IsolationTest(unittest.TestCase):
    def test_no_row_reaches_the_callers_results(self):
        """make check runs these tests with its own $SVMHV_RESULTS set:
        not one of their rows may land there (stop 32's CI failed on a
        deliberate kernel report a test wrote into it)."""
        loader = unittest.TestLoader()
        tests = unittest.TestSuite(loader.loadTestsFromTestCase(c)
                                   for c in (ParserTest, SummaryTest))
        with tempfile.TemporaryDirectory() as d:
            callers = os.path.join(d, 'results.txt')
            result = unittest.TestResult()
            with mock.patch.dict(os.environ, SVMHV_RESULTS=callers), \
                    contextlib.redirect_stdout(io.StringIO()):
                tests.run(result)
            self.assertTrue(result.wasSuccessful())
            self.assertFalse(os.path.exists(callers))


if __name__ == '__main__':
    sys.exit(tap_unittest.main('test_runner', sys.modules[__name__]))
