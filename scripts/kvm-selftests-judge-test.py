#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of kvm-selftests-judge.py: kvm-selftests-judge-test.py
[--tap], as tap_unittest.main() runs them (make check: on the host)."""

import contextlib
import io
import os
import sys
import tempfile
import unittest

import tap_unittest

jd = tap_unittest.load('kvm-selftests-judge.py')


class JudgeTest(unittest.TestCase):
    def test_rules(self):
        ref = {'a': ('pass', 1), 'b': ('fail', 1)}
        self.assertEqual(jd.judge('a', 'pass', ref, None), ('ok', ''))
        self.assertEqual(jd.judge('a', 'fail', ref, None)[0], 'not ok')
        self.assertEqual(jd.judge('a', 'timeout', ref, 'why')[0], 'ok')
        self.assertIn('SKIP expected: why',
                      jd.judge('a', 'fail', ref, 'why')[1])
        # A listed test that passes: the line must go.
        self.assertEqual(jd.judge('a', 'pass', ref, 'why')[0], 'not ok')
        # Neither passes, or kvm_amd never ran it: a skip.
        self.assertIn('SKIP', jd.judge('b', 'fail', ref, None)[1])
        self.assertIn('SKIP', jd.judge('c', 'fail', ref, None)[1])
        self.assertIn('SKIP', jd.judge('a', 'fail', None, None)[1])
        # Left out of a boot on purpose.
        st, text = jd.judge('a', 'not-run', ref, None)
        self.assertEqual(st, 'ok')
        self.assertIn('not run', text)

    def test_sometimes_passes_either_way(self):
        ref = {'a': ('pass', 1)}
        why = 'sometimes: one IPI late'
        self.assertEqual(jd.judge('a', 'pass', ref, why), ('ok', ''))
        st, text = jd.judge('a', 'fail', ref, why)
        self.assertEqual(st, 'ok')
        self.assertIn('SKIP expected: ' + why, text)

    def test_expect_file(self):
        with tempfile.NamedTemporaryFile('w', suffix='.expect') as f:
            f.write('# comment\nx: both MMUs\ny@shadow: one # tail\n')
            f.flush()
            e = jd.read_expect(f.name)
        self.assertEqual(e, {('x', 'npt'): 'both MMUs',
                             ('x', 'shadow'): 'both MMUs',
                             ('y', 'shadow'): 'one'})
        for bad in ('x\n', 'x:\n', 'x@ept: why\n'):
            with tempfile.NamedTemporaryFile('w') as f:
                f.write(bad)
                f.flush()
                with self.assertRaises(ValueError):
                    jd.read_expect(f.name)

    def run_judge(self, logs, expect, boots=None):
        with tempfile.TemporaryDirectory() as d:
            for boot, text in logs.items():
                with open(os.path.join(d, boot + '.tap.log'), 'w') as f:
                    f.write(text)
            ex = os.path.join(d, 'expect')
            with open(ex, 'w') as f:
                f.write(expect)
            args = type('A', (), dict(log_dir=d, expect=ex, table=None,
                                      boots=boots or sorted(logs)))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                jd.run(args)
            return out.getvalue()

    def test_boots_judged_against_the_reference(self):
        line = '# kvm-selftest: %s %s %s 3\n'
        out = self.run_judge({
            'deb': line % ('svmhv-npt', 't1', 'pass') +
                   line % ('svmhv-npt', 't2', 'fail') +
                   line % ('svmhv-npt', 't3', 'fail'),
            'ref': line % ('kvm-npt', 't1', 'pass') +
                   line % ('kvm-npt', 't2', 'pass') +
                   line % ('kvm-npt', 't3', 'pass'),
        }, 't3@npt: a reason\n')
        self.assertIn('ok 1 t1', out)
        self.assertIn('not ok 2 t2', out)
        self.assertIn('ok 3 t3 # SKIP expected: a reason', out)
        self.assertIn('# svmhv-metric: kvmst-pass-deb-svmhv-npt 1', out)
        self.assertIn('# svmhv-metric: kvmst-pass-ref-kvm-npt 3', out)

    def test_a_retried_boot_counts_both_logs(self):
        line = '# kvm-selftest: %s %s %s 3\n'
        out = self.run_judge({
            'deb': line % ('svmhv-npt', 't1', 'pass') +
                   line % ('svmhv-npt', 't2', 'pass'),
            'ref': line % ('kvm-npt', 't1', 'pass'),
            'ref-retry': line % ('kvm-npt', 't2', 'pass'),
        }, '', boots=['deb', 'ref'])
        self.assertIn('ok 1 t1', out)
        self.assertIn('ok 2 t2', out)
        self.assertNotIn('SKIP', out)
        self.assertIn('# svmhv-metric: kvmst-pass-ref-kvm-npt 2', out)

    def test_unknown_names_in_the_expect_file_fail(self):
        out = self.run_judge({
            'deb': '# kvm-selftest: svmhv-npt t1 pass 1\n'
                   '# kvm-selftest: kvm-npt t1 pass 1\n'},
            'gone: a reason\n')
        self.assertIn('not ok 1 the expect file names tests that do not '
                      'exist: gone', out)

    def test_no_reference_fails(self):
        out = self.run_judge(
            {'deb': '# kvm-selftest: svmhv-npt t1 pass 1\n'}, '')
        self.assertIn('not ok 1 no kvm-* results', out)


if __name__ == '__main__':
    sys.exit(tap_unittest.main('kvm_selftests_judge', sys.modules[__name__]))
