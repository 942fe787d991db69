#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of bench-report.py on fixed svmhv-bench lines.

  bench-report-test.py [--tap]

With --tap the results are framed TAP for svmhv-test.py local (make
check runs it so on the host); without, unittest's own output.
"""

import os
import sys
import tempfile
import unittest

import tap_unittest

br = tap_unittest.load('bench-report.py')


def line(workload, device='svmhv', mmu='npt', backing='thp', pages='4k',
         iters=1000, ns=1000000, exits=0, extra=''):
    return ('svmhv-bench: workload=%s device=%s mmu=%s backing=%s '
            'guest_pages=%s iters=%d ns=%d exits=%d %s' %
            (workload, device, mmu, backing, pages, iters, ns, exits,
             extra)).rstrip()


def groups_of(lines):
    return br.Data().read(lines).groups()


def find(rats, kind, column, workload, variant=None):
    hits = [r for r in rats if (r.kind, r.column, r.workload) ==
            (kind, column, workload) and variant in (None, r.variant)]
    assert len(hits) == 1, (kind, column, workload, variant, len(hits))
    return hits[0]


class ParseTest(unittest.TestCase):
    def test_fields(self):
        f = br.parse_line(line('gups', iters=10, ns=12345, exits=3,
                               extra='exit_npf=2 exit_io=1 leaves_4k=7 '
                               'leaves_2m=5 leaves_1g=0'))
        self.assertEqual(f['workload'], 'gups')
        self.assertEqual((f['iters'], f['ns'], f['exits']), (10, 12345, 3))
        run = br.Run(f)
        self.assertEqual(run.exit_kinds, {'npf': 2, 'io': 1})
        self.assertEqual(run.leaves, {'4k': 7, '2m': 5, '1g': 0})
        self.assertEqual(run.config(), 'svmhv-npt')

    def test_other_lines(self):
        self.assertIsNone(br.parse_line('ok 1 vmmcall'))
        self.assertIsNone(br.parse_line('# svmhv-bench: not a result'))
        self.assertEqual(br.parse_env('# svmhv-env: host.qemu=QEMU 7.2 x=y'),
                         ('host.qemu', 'QEMU 7.2 x=y'))

    def test_bad_lines_are_reported(self):
        data = br.Data().read([
            line('pio'),
            'svmhv-bench: workload=pio device=kvm mmu=npt iters=5 ns=1',
            line('pio', ns=0).replace('ns=0', 'ns=fast'),
            line('pio', iters=0),
            'not ok 3 cow (exit 126, 0 of 5 lines)'])
        self.assertEqual(len(data.runs), 1)
        self.assertEqual([b[0] for b in data.bad], [2, 3, 4])
        self.assertIn('missing backing, guest_pages, exits', data.bad[0][2])
        self.assertEqual(len(data.failed), 1)


class StatsTest(unittest.TestCase):
    def test_median_min_max_per_iteration(self):
        g = groups_of([line('vmmcall', iters=10, ns=ns, exits=10,
                            extra='exit_vmmcall=10')
                       for ns in (300, 100, 200, 900, 500)])
        g = g[('vmmcall', 'svmhv-npt', 'thp', '4k')]
        self.assertEqual(g.n, 5)
        self.assertEqual((g.median, g.min, g.max), (30, 10, 90))
        self.assertEqual(g.exits, 1)
        self.assertEqual(g.exit_kinds, {'vmmcall': 1})
        self.assertAlmostEqual(g.spread(), (90 - 10) / 30)

    def test_no_exit_statistics(self):
        g = groups_of([line('pio', device='kvm', exits=-1)])
        self.assertIsNone(g[('pio', 'kvm-npt', 'thp', '4k')].exits)

    def test_even_count_median(self):
        g = groups_of([line('pio', iters=4, ns=ns) for ns in (40, 4, 8, 12)])
        self.assertEqual(g[('pio', 'svmhv-npt', 'thp', '4k')].median, 2.5)

    def test_variants_are_kept_apart(self):
        g = groups_of([line('gups', backing='4k'), line('gups', pages='2m'),
                       line('gups', device='kvm'), line('gups', mmu='shadow')])
        self.assertEqual(len(g), 4)


def rounds(*per_round):
    """Raw lines of rounds 1, 2, ...: each a list of (config, ns)."""
    out = []
    for i, runs in enumerate(per_round, 1):
        for cfg, ns in runs:
            dev, mmu = cfg.split('-')
            out += ['# round %d: %s' % (i, cfg),
                    line('vmmcall', device=dev, mmu=mmu, ns=ns)]
    return out


class PairedTest(unittest.TestCase):
    def ratio(self, lines):
        return find(br.ratios(groups_of(lines)), 'svmhv/kvm', 'NPT',
                    'vmmcall')

    def test_runs_know_their_round(self):
        data = br.Data().read(['# round 7: svmhv-npt', line('vmmcall'),
                               '# round 8: kvm-npt', line('vmmcall')])
        self.assertEqual([r.round for r in data.runs], [7, 8])
        self.assertIsNone(br.Data().read([line('vmmcall')]).runs[0].round)

    def test_median_of_per_round_ratios(self):
        # The host slowed down in round 2: both sides took twice as long.
        # Medians: 36/40 = 0.9; per round: 0.75, 0.75, 0.9.
        r = self.ratio(rounds(
            [('svmhv-npt', 30000), ('kvm-npt', 40000)],
            [('kvm-npt', 80000), ('svmhv-npt', 60000)],
            [('svmhv-npt', 36000), ('kvm-npt', 40000)]))
        self.assertEqual(len(r.pairs), 3)
        self.assertAlmostEqual(r.value, 0.75)
        self.assertEqual(r.verdict(), 'missed')
        self.assertEqual(br.fmt_pairs(r.pairs), '0.75–0.90 ×3')

    def test_too_few_pairs_use_the_medians(self):
        r = self.ratio(rounds(
            [('svmhv-npt', 30000), ('kvm-npt', 40000)],
            [('svmhv-npt', 60000), ('kvm-npt', 80000)],
            [('svmhv-npt', 36000)], [('kvm-npt', 40000)]))
        self.assertEqual(r.pairs, [])
        self.assertAlmostEqual(r.value, 36000 / 40000)
        self.assertEqual(br.fmt_pairs(r.pairs), 'medians')

    def test_a_round_with_two_runs_of_a_side_is_not_a_pair(self):
        lines = rounds([('svmhv-npt', 30000), ('kvm-npt', 40000)],
                       [('svmhv-npt', 30000), ('kvm-npt', 40000)],
                       [('svmhv-npt', 30000), ('kvm-npt', 40000)],
                       [('svmhv-npt', 30000), ('kvm-npt', 40000)])
        lines.append(line('vmmcall', ns=90000))	# round 4 again
        r = self.ratio(lines)
        self.assertEqual(len(r.pairs), 3)
        self.assertAlmostEqual(r.value, 0.75)


class RatioTest(unittest.TestCase):
    LINES = [
        line('vmmcall', ns=30000000),
        line('vmmcall', device='kvm', ns=40000000),
        line('vmmcall', mmu='shadow', ns=33000000),
        line('vmmcall', device='kvm', mmu='shadow', ns=30000000),
        line('floor', ns=25000000),
        line('floor', mmu='shadow', ns=20000000),
        line('pte_storm', ns=2000000),
        line('pte_storm', device='kvm', ns=2000000),
        line('pte_storm', mmu='shadow', ns=100000000),
        line('pte_storm', device='kvm', mmu='shadow', ns=80000000),
        line('lifecycle', iters=10, ns=10000000),
        line('lifecycle', device='kvm', iters=10, ns=20000000),
        line('linux_fork', iters=1000, ns=900000000),
        line('linux_fork', device='kvm', iters=1000, ns=1000000000),
        line('linux_fault', mmu='shadow', iters=4, ns=2100000000),
        line('linux_fault', device='kvm', mmu='shadow', iters=4,
             ns=2000000000),
    ]
    for b in ('4k', 'thp'):
        for p, ns in (('4k', 2000000), ('2m', 1600000)):
            LINES.append(line('gups', backing=b, pages=p,
                              ns=ns if b == '4k' else ns // 2))
    LINES += [line('gups', device='native', mmu='none', backing='4k',
                   ns=1000000),
              line('gups', device='native', mmu='none', backing='thp',
                   pages='2m', ns=700000)]

    def setUp(self):
        self.rats = br.ratios(groups_of(self.LINES))

    def test_svmhv_over_kvm(self):
        r = find(self.rats, 'svmhv/kvm', 'NPT', 'vmmcall')
        self.assertAlmostEqual(r.value, 0.75)
        self.assertEqual((r.target, r.verdict()), (0.7, 'missed'))
        r = find(self.rats, 'svmhv/kvm', 'shadow', 'pte_storm')
        self.assertAlmostEqual(r.value, 1.25)
        self.assertEqual((r.target, r.verdict()), (1.2, 'missed'))
        r = find(self.rats, 'svmhv/kvm', 'NPT', 'pte_storm')
        self.assertEqual((r.value, r.target, r.verdict()),
                         (1.0, 1.05, 'met'))
        # At the target is still met.
        r = find(self.rats, 'svmhv/kvm', 'NPT', 'lifecycle')
        self.assertEqual((r.value, r.target, r.verdict()), (0.5, 0.5, 'met'))

    def test_linux_guest(self):
        # Issue 7's goal: at most as slow as kvm_amd, under either MMU.
        r = find(self.rats, 'svmhv/kvm', 'NPT', 'linux_fork')
        self.assertEqual((r.value, r.target, r.verdict()), (0.9, 1.0, 'met'))
        r = find(self.rats, 'svmhv/kvm', 'shadow', 'linux_fault')
        self.assertAlmostEqual(r.value, 1.05)
        self.assertEqual((r.target, r.verdict()), (1.0, 'missed'))

    def test_shadow_over_npt(self):
        self.assertAlmostEqual(
            find(self.rats, 'shadow/NPT', 'svmhv', 'pte_storm').value, 50)
        self.assertAlmostEqual(
            find(self.rats, 'shadow/NPT', 'kvm', 'vmmcall').value, 0.75)

    def test_floor(self):
        r = find(self.rats, 'to floor', 'svmhv-npt', 'vmmcall')
        self.assertAlmostEqual(r.value, 1.2)
        self.assertEqual((r.target, r.verdict()), (1.3, 'met'))
        r = find(self.rats, 'to floor', 'svmhv-shadow', 'vmmcall')
        self.assertAlmostEqual(r.value, 1.65)
        self.assertEqual(r.verdict(), 'missed')
        # kvm_amd against svmhv's floor under the same MMU: no target.
        r = find(self.rats, 'to floor', 'kvm-npt', 'vmmcall')
        self.assertAlmostEqual(r.value, 1.6)
        self.assertIsNone(r.target)

    def test_page_sizes(self):
        r = find(self.rats, 'guest 4K/2M', 'svmhv-npt', 'gups', 'host 4k')
        self.assertAlmostEqual(r.value, 1.25)
        r = find(self.rats, 'host 4k/thp', 'svmhv-npt', 'gups', 'guest 2M')
        self.assertAlmostEqual(r.value, 2.0)

    def test_native(self):
        # Guest 4K on THP compares with native 4K pages, guest 2M on THP
        # with native THP; the target applies to THP-backed gups.
        r = find(self.rats, 'to native', 'svmhv-npt', 'gups',
                 'guest 4K, host thp')
        self.assertAlmostEqual(r.value, 1.0)
        self.assertEqual(r.den.backing, '4k')
        self.assertEqual((r.target, r.verdict()), (1.1, 'met'))
        r = find(self.rats, 'to native', 'svmhv-npt', 'gups',
                 'guest 2M, host thp')
        self.assertAlmostEqual(r.value, 800 / 700)
        self.assertEqual(r.den.backing, 'thp')
        self.assertEqual(r.verdict(), 'missed')
        r = find(self.rats, 'to native', 'svmhv-npt', 'gups',
                 'guest 2M, host 4k')
        self.assertAlmostEqual(r.value, 1.6)
        self.assertIsNone(r.target)


class ModelTest(unittest.TestCase):
    def model(self, **kw):
        g = groups_of([line('gups', **kw)])
        return br.Model(next(iter(g.values())))

    def test_formula(self):
        # The numbers: 24 with 4K pages in both dimensions, 19
        # with 2M host pages, 15 with 2M in both, 4 natively.
        self.assertEqual(br.walk_refs(4, 4), 24)
        self.assertEqual(br.walk_refs(4, 3), 19)
        self.assertEqual(br.walk_refs(3, 4), 19)
        self.assertEqual(br.walk_refs(3, 3), 15)
        self.assertEqual(br.walk_refs(4, 2), 14)
        self.assertEqual(br.walk_refs(4, 0), 4)

    def test_from_leaves(self):
        m = self.model(pages='4k', backing='4k', extra='leaves_4k=512')
        self.assertTrue(m.from_stats)
        self.assertEqual((m.refs, m.native), (24, 4))
        m = self.model(pages='4k', extra='leaves_4k=0 leaves_2m=512')
        self.assertEqual(m.refs, 19)
        m = self.model(pages='2m', extra='leaves_2m=512 leaves_1g=0')
        self.assertEqual((m.refs, m.native), (15, 3))

    def test_mix_weighted_by_memory(self):
        # 512 4K leaves and one 2M leaf map 2M each: half the accesses
        # walk 24 references, half 19.
        m = self.model(pages='4k', extra='leaves_4k=512 leaves_2m=1')
        self.assertAlmostEqual(m.refs, 21.5)
        self.assertEqual(m.mix_text(), '4K 512 (50%), 2M 1 (50%)')

    def test_assumed(self):
        m = self.model(device='kvm', pages='4k', backing='thp')
        self.assertFalse(m.from_stats)
        self.assertEqual(m.refs, 19)
        m = self.model(device='kvm', pages='2m', backing='4k')
        self.assertEqual(m.refs, 19)

    def test_shadow_and_native(self):
        # Shadow leaves as large as guest page and host backing allow,
        # on svmhv (shadow_large_pages) as on KVM: a 3-level walk for
        # guest 2M pages on THP, 4 levels where either is 4K.
        m = self.model(mmu='shadow', pages='2m', backing='thp')
        self.assertEqual((m.refs, m.native), (3, 3))
        m = self.model(mmu='shadow', pages='2m', backing='4k')
        self.assertEqual(m.refs, 4)
        m = self.model(device='kvm', mmu='shadow', pages='2m',
                       backing='thp')
        self.assertEqual(m.refs, 3)
        m = self.model(device='native', mmu='none', backing='4k')
        self.assertEqual((m.refs, m.native), (4, 4))
        m = self.model(device='native', mmu='none', backing='thp')
        self.assertEqual(m.refs, 3)


class ProfileTest(unittest.TestCase):
    LINES = [
        'svmhv-profile: config=svmhv-npt pass=split fn=svm_vcpu_run '
        'calls=3 iters=100 ns=4000000',
        'svmhv-profile: config=svmhv-npt pass=split fn=svm_run_once '
        'calls=100 iters=100 ns=2500000',
        'svmhv-profile: config=svmhv-npt pass=split fn=svm_handle_exit '
        'calls=100 iters=100 ns=450000',
        'svmhv-profile: config=svmhv-npt pass=floor fn=svm_floor_exit '
        'calls=100 iters=100 ns=200000',
        'svmhv-profile: config=svmhv-npt pass=tree fn=svm_handle_exit '
        'calls=100 iters=100 ns=1000000',
        'svmhv-profile: config=svmhv-npt pass=tree fn=svm_skip '
        'calls=100 iters=100 ns=500000',
        'svmhv-profile: config=svmhv-npt pass=tree fn=down_read '
        'calls=200 iters=100 ns=100000',
        'svmhv-profile: config=kvm-npt pass=split fn=svm_vcpu_run '
        'calls=100 iters=100 ns=2800000',
        'svmhv-profile: config=kvm-npt pass=split fn=svm_handle_exit '
        'calls=100 iters=100 ns=1400000',
        'svmhv-profile: config=svmhv-npt pass=events fn=guest '
        'calls=101 iters=100 ns=1010000',
        'svmhv-profile: config=svmhv-npt pass=events fn=host '
        'calls=100 iters=100 ns=3000000',
    ]

    def test_parse(self):
        p = br.parse_profile(self.LINES[1])
        self.assertEqual((p['config'], p['pass'], p['fn'], p['calls'],
                          p['iters'], p['ns']),
                         ('svmhv-npt', 'split', 'svm_run_once', 100, 100,
                          2500000))
        self.assertIsNone(br.parse_profile(line('vmmcall')))
        for bad in ('svmhv-profile: config=x pass=split fn=f calls=1',
                    'svmhv-profile: config=x pass=split fn=f calls=z '
                    'iters=1 ns=1',
                    'svmhv-profile: config=x pass=split fn=f calls=0 '
                    'iters=1 ns=1'):
            self.assertRaises(ValueError, br.parse_profile, bad)

    def test_bad_line_is_reported_not_dropped(self):
        data = br.Data().read(['svmhv-profile: config=x calls=1'])
        self.assertEqual((len(data.profile), len(data.bad)), (0, 1))

    def test_tables(self):
        data = br.Data().read(self.LINES + [line('vmmcall')])
        split = '\n'.join(br.table_profile_split(data))
        self.assertIn('| svmhv-npt | 25.0 (`svm_run_once`) | 4.5 | 2.0 |',
                      split)
        self.assertIn('| kvm-npt | 28.0 (`svm_vcpu_run`) | 14.0 |  |', split)
        tree = br.table_profile_tree(data)
        self.assertIn('| `svm_skip` | 1.00 | 50% |', tree)
        self.assertIn('| `down_read` | 2.00 | 10% |', tree)
        # Biggest share first; the handler itself is the heading.
        self.assertLess(tree.index('| `svm_skip` | 1.00 | 50% |'),
                        tree.index('| `down_read` | 2.00 | 10% |'))
        self.assertIn('svmhv-npt: `svm_handle_exit`, 1.00 calls per '
                      'iteration', tree)
        self.assertFalse(any(r.startswith('kvm-npt') for r in tree))
        events = br.table_profile_events(data)
        self.assertIn('| svmhv-npt | 10.0 | 30.0 | 100 |', events)
        self.assertEqual(3, len(events))	# no kvm-npt row without it


class ReportTest(unittest.TestCase):
    def test_results_md(self):
        lines = ['# svmhv-env: commit=abc123', '# svmhv-env: date=D'] + \
            RatioTest.LINES + ['not ok 9 seq (exit 126, 0 of 5 lines)']
        with tempfile.TemporaryDirectory() as d:
            data, rats = br.report(lines, d, plots=False)
            with open(os.path.join(d, 'results.md')) as f:
                md = f.read()
        self.assertEqual(len(data.runs), len(RatioTest.LINES))
        self.assertIn('# svmhv benchmark, D, commit abc123', md)
        self.assertIn('| vmmcall | host thp | svmhv/kvm NPT | 0.75 | medians '
                      '| ≤ 0.7 | missed |', md)
        self.assertIn('runner: `not ok 9 seq', md)
        self.assertIn('| gups | 4K | 4k | svmhv-npt | 4K (assumed from the '
                      'backing) | 24 | 4 | 6.00 | 2.00 |', md)
        self.assertIn('| vmmcall | | thp | 30,000 [30,000–30,000] ×1 |', md)


def main():
    return tap_unittest.main('bench_report', sys.modules[__name__])


if __name__ == '__main__':
    sys.exit(main())
