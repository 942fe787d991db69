#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn svmhv benchmark lines into a results folder.

  bench-report.py RAW [--out DIR] [--no-plots]

RAW is the benchmark's output (scripts/bench-run.sh, as make bench or
make bench-host saved it): one "svmhv-bench:" line per run, as svmhv-run
--bench and svmhv-native-gups print them, "# svmhv-env: KEY=VALUE" lines
saying where it ran, and the runner's TAP ("not ok" for a run that
failed).  The report, in DIR (default: the folder RAW is in):

  results.md  the environment, ns per iteration (median, min and max over
              the repeats) and exits per iteration of every workload under
              every configuration, the ratios the issue asks for with
              their targets, the page-walk model of the TLB workloads, and
              the function_graph profile of the VMMCALL round trip
              (scripts/bench-profile.sh's "svmhv-profile:" lines)
  *.png       gnuplot plots of the same (unless --no-plots), with the .dat
              files and plots.gp that draw them

Only the Python standard library is used.  docs/bench.md explains the
method: what is measured, what is modelled, and why only ratios within
one run mean anything in the emulated test machine.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys

PREFIX = 'svmhv-bench:'
PROFILE_PREFIX = 'svmhv-profile:'
PROFILE_KEYS = ('config', 'pass', 'fn', 'calls', 'iters', 'ns')
# The profile's split: per configuration, the functions that enter and
# leave the guest and that handle the exit (bench-profile.sh).
PROFILE_ENTRY = {'svmhv': 'svm_run_once', 'kvm': 'svm_vcpu_run'}
PROFILE_EXIT = 'svm_handle_exit'
PROFILE_FLOOR_EXIT = 'svm_floor_exit'
PROFILE_TREE_ROWS = 8
ENV_PREFIX = '# svmhv-env:'
# bench-run.sh's "# round R: CONFIG" before each configuration's runs.
ROUND_RE = re.compile(r'^\s*#\s*round\s+(\d+):')
# Fewer rounds in common than this: the ratio of the medians instead.
MIN_PAIRS = 3
PAIRED_TEXT = ('A ratio whose two sides ran in the same rounds (at least '
               '%d) is the median of its per-round ratios, "per round" '
               'giving their range and number; else it is the ratio of '
               'the medians ("medians").' % MIN_PAIRS)
REQUIRED = ('workload', 'device', 'mmu', 'backing', 'guest_pages', 'iters',
            'ns', 'exits')
INT_KEYS = ('iters', 'ns', 'exits')

# Display order of configurations, workloads and variants.
CONFIGS = ('svmhv-npt', 'svmhv-shadow', 'kvm-npt', 'kvm-shadow', 'native')
WORKLOADS = ('floor', 'vmmcall', 'pio', 'pte_storm', 'cr3_storm',
             'fault_storm', 'cow', 'gups', 'seq', 'lifecycle',
             'linux_boot', 'linux_fork', 'linux_fault', 'qemu_boot')
TLB_WORKLOADS = ('gups', 'seq')
MMU_NAMES = {'npt': 'NPT', 'shadow': 'shadow'}
BACKINGS = ('4k', 'thp', 'hugetlb2m', 'hugetlb1g')
PAGES = ('4k', '2m')

# The targets for svmhv against kvm_amd under the same MMU: the
# exit round trips and VM lifecycle by name, every other workload by MMU.
TARGET_VS_KVM = {'vmmcall': 0.7, 'pio': 0.8, 'lifecycle': 0.5,
                 # Issue 7: the Linux guest's boot, fork+exec and page
                 # faults, under either MMU.
                 'linux_boot': 1.0, 'linux_fork': 1.0, 'linux_fault': 1.0,
                 # Issue 19: QEMU's boot of the Linux guest to its init.
                 'qemu_boot': 1.0}
TARGET_VS_KVM_MMU = {'npt': 1.05, 'shadow': 1.2}
TARGET_VMMCALL_FLOOR = 1.3	# svmhv's VMMCALL round trip / its floor
TARGET_NATIVE_THP = 1.1		# svmhv NPT, THP-backed gups / native

# Page-walk model.  Levels walked to reach a leaf of each size in 4-level
# long-mode paging: a 4K leaf is found in the 4th table, 2M in the 3rd,
# 1G in the 2nd.
LEAF_LEVELS = {'4k': 4, '2m': 3, '1g': 2}
LEAF_BYTES = {'4k': 4 << 10, '2m': 2 << 20, '1g': 1 << 30}


class Run:
    """One svmhv-bench line, and the round it ran in (None: unknown)."""

    def __init__(self, fields, round_no=None):
        self.fields = fields
        self.round = round_no
        self.workload = fields['workload']
        self.device = fields['device']
        self.mmu = fields['mmu']
        self.backing = fields['backing']
        self.guest_pages = fields['guest_pages']
        self.iters = fields['iters']
        self.ns = fields['ns']
        # exits=-1: the device has no exit statistics.
        self.exits = fields['exits'] if fields['exits'] >= 0 else None
        self.exit_kinds = {k[5:]: v for k, v in fields.items()
                           if k.startswith('exit_')}
        self.leaves = {k[7:]: v for k, v in fields.items()
                       if k.startswith('leaves_')}

    def config(self):
        return config_name(self.device, self.mmu)

    def key(self):
        return (self.workload, self.config(), self.backing, self.guest_pages)

    def per_iter(self):
        return self.ns / self.iters


def config_name(device, mmu):
    return 'native' if device == 'native' else '%s-%s' % (device, mmu)


def parse_line(line):
    """Fields of a svmhv-bench line as a dict, None for other lines.

    Raises ValueError for a bench line that lacks a required key or has a
    number that is not one."""
    text = line.strip()
    if not text.startswith(PREFIX):
        return None
    fields = {}
    for tok in text[len(PREFIX):].split():
        key, sep, val = tok.partition('=')
        if not sep or not key:
            raise ValueError('not key=value: %r' % tok)
        fields[key] = val
    missing = [k for k in REQUIRED if k not in fields]
    if missing:
        raise ValueError('missing %s' % ', '.join(missing))
    for key in list(fields):
        if key in INT_KEYS or key.startswith(('exit_', 'leaves_')):
            try:
                fields[key] = int(fields[key])
            except ValueError:
                raise ValueError('%s=%r is not a number' %
                                 (key, fields[key])) from None
    if fields['iters'] <= 0:
        raise ValueError('iters=%d' % fields['iters'])
    return fields


def parse_profile(line):
    """Fields of a svmhv-profile line as a dict, None for other lines.

    Raises ValueError for one that lacks a key or a count."""
    text = line.strip()
    if not text.startswith(PROFILE_PREFIX):
        return None
    fields = dict(tok.partition('=')[::2]
                  for tok in text[len(PROFILE_PREFIX):].split())
    missing = [k for k in PROFILE_KEYS if not fields.get(k)]
    if missing:
        raise ValueError('missing %s' % ', '.join(missing))
    for key in ('calls', 'iters', 'ns'):
        if not fields[key].isdigit():
            raise ValueError('%s=%r is not a count' % (key, fields[key]))
        fields[key] = int(fields[key])
    if not fields['calls'] or not fields['iters']:
        raise ValueError('no calls or iterations')
    return fields


def parse_env(line):
    """(KEY, VALUE) of a "# svmhv-env: KEY=VALUE" line, else None."""
    text = line.strip()
    if not text.startswith(ENV_PREFIX):
        return None
    key, sep, val = text[len(ENV_PREFIX):].strip().partition('=')
    return (key.strip(), val.strip()) if sep else None


class Data:
    """Everything read from the raw lines."""

    def __init__(self):
        self.runs = []
        self.env = {}
        self.bad = []		# (line number, line, why)
        self.failed = []	# the runner's "not ok" lines
        self.profile = []	# parse_profile() dicts

    def read(self, lines):
        round_no = None
        for num, line in enumerate(lines, 1):
            env = parse_env(line)
            if env:
                self.env[env[0]] = env[1]
                continue
            m = ROUND_RE.match(line)
            if m:
                round_no = int(m.group(1))
                continue
            if line.lstrip().startswith('not ok'):
                self.failed.append(line.strip())
                continue
            try:
                prof = parse_profile(line)
                if prof:
                    self.profile.append(prof)
                    continue
                fields = parse_line(line)
            except ValueError as e:
                self.bad.append((num, line.strip(), str(e)))
                continue
            if fields:
                self.runs.append(Run(fields, round_no))
        return self

    def groups(self):
        out = {}
        for run in self.runs:
            out.setdefault(run.key(), []).append(run)
        return {k: Group(k, v) for k, v in out.items()}


class Group:
    """The repeats of one workload variant under one configuration."""

    def __init__(self, key, runs):
        self.key = key
        self.workload, self.config, self.backing, self.guest_pages = key
        self.runs = runs
        # Its run of each round it ran in once (rounds are known).
        rounds = {}
        for r in runs:
            if r.round is not None:
                rounds.setdefault(r.round, []).append(r)
        self.by_round = {k: v[0] for k, v in rounds.items() if len(v) == 1}
        per_iter = [r.per_iter() for r in runs]
        self.n = len(runs)
        self.median = statistics.median(per_iter)
        self.min = min(per_iter)
        self.max = max(per_iter)
        known = [r.exits / r.iters for r in runs if r.exits is not None]
        self.exits = statistics.median(known) if known else None
        kinds = sorted({k for r in runs for k in r.exit_kinds})
        self.exit_kinds = {k: statistics.median(r.exit_kinds.get(k, 0) /
                                                r.iters for r in runs)
                           for k in kinds}
        sizes = sorted({k for r in runs for k in r.leaves})
        self.leaves = {k: statistics.median(r.leaves.get(k, 0) for r in runs)
                       for k in sizes}

    def spread(self):
        """(max - min) / median: how far the repeats scatter."""
        return (self.max - self.min) / self.median if self.median else 0.0


# ---------------------------------------------------------------- model

def walk_refs(guest_levels, nested_levels):
    """Memory references of a 2D walk after a TLB miss.

    Each of the n guest table reads and the final guest-physical address
    need a nested walk of m reads, plus the n guest reads themselves:
    (n + 1) * (m + 1) - 1.  With m = 0 (no nested paging) it is n."""
    return (guest_levels + 1) * (nested_levels + 1) - 1


def guest_levels(guest_pages):
    return LEAF_LEVELS[guest_pages]


def backing_leaf(backing):
    """The leaf size memory of this backing is mapped with, when no
    statistics say: THP and 2M hugetlbfs give 2M, 1G hugetlbfs 1G."""
    return {'4k': '4k', 'thp': '2m', 'hugetlb2m': '2m',
            'hugetlb1g': '1g'}.get(backing, '4k')


def smaller(a, b):
    return a if LEAF_BYTES[a] <= LEAF_BYTES[b] else b


class Model:
    """The page-walk model of one TLB workload group."""

    def __init__(self, group):
        g = group
        self.group = g
        self.n = guest_levels(g.guest_pages)
        mix = {k: v for k, v in g.leaves.items()
               if k in LEAF_BYTES and v > 0}
        self.from_stats = bool(mix)
        self.assumed = '' if mix else 'assumed from the backing'
        device, _, mmu = g.config.partition('-')
        if g.config == 'native':
            # The process's own pages: one dimension, native page size.
            leaf = backing_leaf(g.backing)
            self.kind = 'native'
            self.n = LEAF_LEVELS[leaf]
            self.mix = {leaf: 1}
            self.from_stats = False
            self.assumed = 'the process\'s pages, from the backing'
            self.refs = self.n
            self.native = self.n
            return
        if mmu == 'shadow':
            # The hardware walks the shadow table alone: native-like, as
            # deep as the shadow leaves.  Both svmhv (shadow_large_pages)
            # and KVM use 2M leaves where guest and host pages both are
            # that large, else 4K ones.
            self.kind = 'shadow'
            if not mix:
                mix = {smaller(g.guest_pages, backing_leaf(g.backing)): 1}
                self.assumed = 'assumed from guest pages and backing'
            self.mix = mix
            self.refs = weighted(mix, lambda leaf: LEAF_LEVELS[leaf])
        else:
            self.kind = 'nested'
            if not mix:
                mix = {backing_leaf(g.backing): 1}
            self.mix = mix
            self.refs = weighted(mix, lambda leaf:
                                 walk_refs(self.n, LEAF_LEVELS[leaf]))
        self.native = self.n

    def mix_text(self):
        if not self.from_stats:
            return '%s (%s)' % (next(iter(self.mix)).upper(), self.assumed)
        total = sum(self.mix[k] * LEAF_BYTES[k] for k in self.mix)
        parts = ['%s %d (%.0f%%)' % (k.upper(), self.mix[k],
                                      100.0 * self.mix[k] * LEAF_BYTES[k] /
                                      total)
                 for k in sorted(self.mix, key=LEAF_BYTES.get)]
        return ', '.join(parts)


def weighted(mix, refs_of):
    """Refs per miss over a mix of leaf sizes, each weighted by the memory
    its leaves map: a random access lands in a leaf size in proportion to
    the memory mapped with it."""
    total = sum(mix[k] * LEAF_BYTES[k] for k in mix)
    return sum(refs_of(k) * mix[k] * LEAF_BYTES[k] for k in mix) / total


# ---------------------------------------------------------------- ratios

class Ratio:
    """A ratio of two groups.  KIND says which of the issue's comparisons
    it is; COLUMN is where it goes in that comparison's table (the MMU,
    the device or the configuration).

    Where both groups ran in the same rounds, the value is the median of
    the per-round ratios (PAIRS of them): a round runs both close
    together, so a drift of the shared host's speed over the minutes of
    a run falls on both.  Otherwise it is the ratio of the medians."""

    def __init__(self, kind, column, workload, variant, num, den,
                 target=None):
        self.kind = kind
        self.column = column
        self.workload = workload
        self.variant = variant
        self.num = num
        self.den = den
        self.pairs = paired(num, den)
        if len(self.pairs) >= MIN_PAIRS:
            self.value = statistics.median(self.pairs)
        else:
            self.pairs = []
            self.value = (num.median / den.median if den.median
                          else float('inf'))
        self.target = target

    def name(self):
        return {'svmhv/kvm': 'svmhv/kvm %s' % self.column,
                'shadow/NPT': 'shadow/NPT %s' % self.column,
                'to native': '%s/native' % self.column,
                'to floor': '%s/floor' % self.column,
                }.get(self.kind, '%s %s' % (self.kind, self.column))

    def verdict(self):
        if self.target is None:
            return ''
        return 'met' if self.value <= self.target else 'missed'


def paired(num, den):
    """The per-round ratios of two groups: for each round both ran in
    once, num's ns per iteration over den's."""
    a, b = num.by_round, den.by_round
    return [a[k].per_iter() / b[k].per_iter() for k in sorted(a)
            if k in b and b[k].per_iter() > 0]


def variant_name(backing, guest_pages, workload):
    if workload in TLB_WORKLOADS:
        return 'guest %s, host %s' % (guest_pages.upper(), backing)
    return 'host %s' % backing


def native_match(groups, workload, backing, guest_pages):
    """The native group to compare a guest's TLB run with: the native
    process with the page size the guest's accesses end up on in the TLB
    (2M only when the guest and the host both use large pages)."""
    large = guest_pages == '2m' and backing_leaf(backing) != '4k'
    tries = ('thp', 'hugetlb2m') if large else ('4k',)
    for b in tries:
        for (w, c, gb, _), g in sorted(groups.items()):
            if w == workload and c == 'native' and gb == b:
                return g
    return None


def floor_match(groups, config):
    """svmhv's floor under the configuration's MMU, else under NPT."""
    mmu = config.partition('-')[2]
    for c in ('svmhv-' + mmu, 'svmhv-npt'):
        for (w, gc, _, _), g in sorted(groups.items()):
            if w == 'floor' and gc == c:
                return g
    return None


def kvm_target(workload, mmu):
    return TARGET_VS_KVM.get(workload, TARGET_VS_KVM_MMU[mmu])


def ratios(groups):
    out = []
    for key in sorted(groups, key=sort_key):
        g = groups[key]
        w, c, b, p = key
        var = variant_name(b, p, w)
        tlb = w in TLB_WORKLOADS

        def other(config, backing=b, pages=p):
            return groups.get((w, config, backing, pages))

        for mmu in ('npt', 'shadow'):
            if c == 'svmhv-' + mmu and other('kvm-' + mmu):
                out.append(Ratio('svmhv/kvm', MMU_NAMES[mmu], w, var, g,
                                 other('kvm-' + mmu), kvm_target(w, mmu)))
        for dev in ('svmhv', 'kvm'):
            if c == dev + '-shadow' and other(dev + '-npt'):
                out.append(Ratio('shadow/NPT', dev, w, var, g,
                                 other(dev + '-npt')))
        if c != 'native' and p == '4k' and other(c, pages='2m'):
            out.append(Ratio('guest 4K/2M', c, w, 'host %s' % b, g,
                             other(c, pages='2m')))
        if b == '4k' and other(c, backing='thp'):
            out.append(Ratio('host 4k/thp', c, w,
                             'guest %s' % p.upper() if tlb else '', g,
                             other(c, backing='thp')))
        nat = native_match(groups, w, b, p) if tlb else None
        if nat and c != 'native':
            target = TARGET_NATIVE_THP if (
                w == 'gups' and c == 'svmhv-npt' and b == 'thp') else None
            out.append(Ratio('to native', c, w, var, g, nat, target))
        fl = floor_match(groups, c) if w in ('vmmcall', 'pio') else None
        if fl and c != 'native':
            target = TARGET_VMMCALL_FLOOR if (
                w == 'vmmcall' and c.startswith('svmhv')) else None
            out.append(Ratio('to floor', c, w, var, g, fl, target))
    return out


def sort_key(key):
    w, c, b, p = key
    return (WORKLOADS.index(w) if w in WORKLOADS else len(WORKLOADS), w,
            PAGES.index(p) if p in PAGES else 9,
            BACKINGS.index(b) if b in BACKINGS else 9,
            CONFIGS.index(c) if c in CONFIGS else 9, c)


# ---------------------------------------------------------------- output

def fmt_ns(v):
    if v >= 100:
        return '{:,.0f}'.format(v)
    return '{:.3g}'.format(v)


def fmt_ratio(v):
    return '{:.2f}'.format(v) if v < 100 else '{:.0f}'.format(v)


def fmt_num(v):
    return '{:.3g}'.format(v) if v else '0'


def variants(groups):
    """(workload, backing, guest_pages) rows in display order."""
    seen = []
    for key in sorted(groups, key=sort_key):
        row = (key[0], key[2], key[3])
        if row not in seen:
            seen.append(row)
    return seen


def configs_present(groups):
    present = {k[1] for k in groups}
    return [c for c in CONFIGS if c in present] + \
        sorted(present - set(CONFIGS))


def row_label(w, b, p):
    if w in TLB_WORKLOADS:
        return '%s | %s | %s' % (w, p.upper(), b)
    return '%s | | %s' % (w, b)


def table_ns(groups):
    cfgs = configs_present(groups)
    lines = ['| workload | guest pages | host backing | ' +
             ' | '.join(cfgs) + ' |',
             '|---|---|---|' + '---:|' * len(cfgs)]
    for w, b, p in variants(groups):
        cells = []
        for c in cfgs:
            g = groups.get((w, c, b, p))
            cells.append('%s [%s–%s] ×%d' % (fmt_ns(g.median), fmt_ns(g.min),
                                             fmt_ns(g.max), g.n)
                         if g else '')
        lines.append('| %s | %s |' % (row_label(w, b, p), ' | '.join(cells)))
    return lines


def table_exits(groups):
    cfgs = [c for c in configs_present(groups) if c != 'native']
    lines = ['| workload | guest pages | host backing | ' +
             ' | '.join(cfgs) + ' |',
             '|---|---|---|' + '---:|' * len(cfgs)]
    for w, b, p in variants(groups):
        if w == 'floor':
            continue
        cells = []
        for c in cfgs:
            g = groups.get((w, c, b, p))
            if not g:
                cells.append('')
                continue
            kinds = ', '.join('%s %s' % (k, fmt_num(v))
                              for k, v in sorted(g.exit_kinds.items(),
                                                 key=lambda kv: -kv[1])
                              if v)
            if g.exits is None:
                cells.append('n/a')
                continue
            cells.append(fmt_num(g.exits) + (' (%s)' % kinds if kinds
                                             else ''))
        lines.append('| %s | %s |' % (row_label(w, b, p), ' | '.join(cells)))
    return lines


def table_targets(rats):
    lines = ['| workload | variant | ratio | value | per round | target | |',
             '|---|---|---|---:|---:|---:|---|']
    for r in rats:
        if r.target is None:
            continue
        lines.append('| %s | %s | %s | %s | %s | ≤ %s | %s |' % (
            r.workload, r.variant, r.name(), fmt_ratio(r.value),
            fmt_pairs(r.pairs), r.target, r.verdict()))
    return lines


def fmt_pairs(pairs):
    """The per-round ratios of a paired ratio: min–max ×n."""
    if not pairs:
        return 'medians'
    return '%s–%s ×%d' % (fmt_ratio(min(pairs)), fmt_ratio(max(pairs)),
                          len(pairs))


# The comparisons without a target of their own, one table each.
KINDS = (('shadow/NPT', 'shadow paging / nested paging, per hypervisor'),
         ('guest 4K/2M', 'guest 4K pages / guest 2M pages, same host '
          'backing'),
         ('host 4k/thp', 'host 4K backing / THP backing, same guest pages'),
         ('to native', 'in a guest / the same loop as a process of the '
          'test machine\'s kernel (native pages as large as the guest\'s '
          'accesses end up in the TLB: 2M only with guest 2M on THP)'),
         ('to floor', 'round trip / svmhv\'s floor (the bare VMRUN/#VMEXIT '
          'loop in the module) under the same MMU'))


def table_kind(rats, kind):
    """One comparison as a table: a row per workload variant, a column
    per MMU, device or configuration."""
    mine = [r for r in rats if r.kind == kind]
    cols = []
    for r in mine:
        if r.column not in cols:
            cols.append(r.column)
    order = list(MMU_NAMES.values()) + ['svmhv', 'kvm'] + list(CONFIGS)
    cols.sort(key=lambda c: order.index(c) if c in order else len(order))
    rows = []
    for r in mine:
        if (r.workload, r.variant) not in rows:
            rows.append((r.workload, r.variant))
    lines = ['| workload | variant | ' + ' | '.join(cols) + ' |',
             '|---|---|' + '---:|' * len(cols)]
    for w, v in rows:
        cells = []
        for c in cols:
            hit = [r for r in mine if (r.workload, r.variant, r.column) ==
                   (w, v, c)]
            cells.append(fmt_ratio(hit[0].value) if hit else '')
        lines.append('| %s | %s | %s |' % (w, v, ' | '.join(cells)))
    return lines


def table_model(groups):
    lines = ['| workload | guest pages | host backing | config | '
             'leaves (share of memory) | refs per TLB miss (model) | '
             'native refs | model / native | measured / native |',
             '|---|---|---|---|---|---:|---:|---:|---:|']
    for key in sorted(groups, key=sort_key):
        g = groups[key]
        if g.workload not in TLB_WORKLOADS:
            continue
        m = Model(g)
        nat = None if g.config == 'native' else native_match(
            groups, g.workload, g.backing, g.guest_pages)
        lines.append('| %s | %s | %s | %s | %s | %s | %d | %s | %s |' % (
            g.workload, g.guest_pages.upper(), g.backing, g.config,
            m.mix_text(), '{:.3g}'.format(m.refs), m.native,
            fmt_ratio(m.refs / m.native),
            fmt_ratio(g.median / nat.median) if nat else ''))
    return lines


ENV_ORDER = ('date', 'commit', 'host.cpu', 'host.kernel', 'host.qemu',
             'qemu.args', 'machine.cpu', 'machine.kernel', 'machine.cpus',
             'machine.thp', 'bench.repeat', 'bench.quick', 'bench.mem')


def profile_of(data, config, pass_name):
    """{function: profile dict} of one configuration's pass."""
    return {p['fn']: p for p in data.profile
            if (p['config'], p['pass']) == (config, pass_name)}


def fmt_us_per_call(p):
    return '%.1f' % (p['ns'] / p['calls'] / 1000) if p else ''


def table_profile_split(data):
    cfgs = [c for c in CONFIGS if profile_of(data, c, 'split')]
    lines = ['| configuration | enter and leave the guest | '
             'handle the exit | the floor\'s exit |',
             '|---|---:|---:|---:|']
    for c in cfgs:
        split = profile_of(data, c, 'split')
        entry = PROFILE_ENTRY[c.split('-')[0]]
        floor = profile_of(data, c, 'floor').get(PROFILE_FLOOR_EXIT)
        lines.append('| %s | %s (`%s`) | %s | %s |' % (
            c, fmt_us_per_call(split.get(entry)), entry,
            fmt_us_per_call(split.get(PROFILE_EXIT)),
            fmt_us_per_call(floor)))
    return lines


def table_profile_events(data):
    """The events pass: microseconds in and outside the guest per trip."""
    cfgs = [c for c in CONFIGS if profile_of(data, c, 'events')]
    lines = ['| configuration | in the guest | outside the guest | '
             'round trips |', '|---|---:|---:|---:|']
    for c in cfgs:
        ev = profile_of(data, c, 'events')
        host = ev.get('host')
        lines.append('| %s | %s | %s | %s |' % (
            c, fmt_us_per_call(ev.get('guest')), fmt_us_per_call(host),
            host['calls'] if host else ''))
    return lines


def table_profile_tree(data):
    lines = []
    for c in CONFIGS:
        tree = profile_of(data, c, 'tree')
        top = tree.get(PROFILE_EXIT)
        if not top:
            continue
        rows = sorted((p for p in tree.values() if p is not top),
                      key=lambda p: -p['ns'])[:PROFILE_TREE_ROWS]
        lines += ['%s: `%s`, %.2f calls per iteration' % (
            c, PROFILE_EXIT, top['calls'] / top['iters']), '',
            '| function | calls per iteration | share of the handler\'s '
            'traced time |', '|---|---:|---:|']
        lines += ['| `%s` | %.2f | %.0f%% |' % (
            p['fn'], p['calls'] / p['iters'], 100 * p['ns'] / top['ns'])
            for p in rows]
        lines.append('')
    return lines


def table_env(env):
    keys = [k for k in ENV_ORDER if k in env] + \
        sorted(k for k in env if k not in ENV_ORDER)
    lines = ['| | |', '|---|---|']
    for k in keys:
        lines.append('| %s | %s |' % (k, env[k].replace('|', '\\|') or '-'))
    return lines


def markdown(data, groups, rats, plots):
    env = data.env
    title = 'svmhv benchmark, %s, commit %s' % (env.get('date', '?'),
                                               env.get('commit', '?'))
    out = ['# ' + title, '',
           'Method: [docs/bench.md](../../docs/bench.md).  Under TCG only '
           'ratios within this one run mean anything.', '']
    if data.failed or data.bad:
        out += ['## Problems', '']
        out += ['- runner: `%s`' % f for f in data.failed]
        out += ['- line %d unreadable (%s): `%s`' % (num, why, line)
                for num, line, why in data.bad]
        out.append('')
    out += ['## Nanoseconds per iteration', '',
            'Median over the repeats [min–max] ×repeats; the measured phase '
            'only (between the guest\'s two marks).', '']
    out += table_ns(groups) + ['']
    out += ['## Exits per iteration', '',
            'Median over the repeats, from the statistics read at the two '
            'marks; by kind where the device reports kinds.', '']
    out += table_exits(groups) + ['']
    met = sum(r.verdict() == 'met' for r in rats)
    missed = sum(r.verdict() == 'missed' for r in rats)
    out += ['## Targets', '',
            'The ratios against the issue\'s targets: %d met, %d missed.  '
            'svmhv/kvm compares svmhv with kvm_amd under the same MMU '
            '(kvm_amd npt=1 for NPT, npt=0 for shadow).  %s' %
            (met, missed, PAIRED_TEXT), '']
    out += table_targets(rats) + ['']
    for kind, what in KINDS:
        if any(r.kind == kind for r in rats):
            out += ['## Ratio %s' % kind, '', what[0].upper() + what[1:] +
                    '; paired by round as the targets are.', '']
            out += table_kind(rats, kind) + ['']
    if any(g.workload in TLB_WORKLOADS for g in groups.values()):
        out += ['## Page-walk model (modelled, not measured)', '',
                'Memory references per TLB miss: (n+1)(m+1)-1 for n guest '
                'and m nested levels under NPT, the shadow table\'s depth '
                'under shadow paging, n natively; leaf mixes are weighted '
                'by the memory they map.  "measured / native" is the '
                'measured time ratio beside it.', '']
        out += table_model(groups) + ['']
    if data.profile:
        out += ['## Profile of the VMMCALL round trip (ftrace)', '',
                'scripts/bench-profile.sh: function_graph over one run '
                'of the vmmcall payload per configuration.  Microseconds '
                'per call with only these functions traced (the rest of '
                'the loop is what they leave of the time per iteration):',
                '']
        out += table_profile_split(data) + ['']
        if any(p['pass'] == 'events' for p in data.profile):
            out += ['Timed by the hypervisors\' own VM entry and exit '
                    'tracepoints, no function traced (microseconds per '
                    'round trip: from an entry to its exit, and from an '
                    'exit to the next entry):', '']
            out += table_profile_events(data) + ['']
        out += ['Under the exit handler with every function traced '
                '(each traced call also adds the tracer\'s own cost to '
                'its callers: read the shares and counts, not times):',
                '']
        out += table_profile_tree(data)
    if plots:
        out += ['## Plots', '']
        out += ['![%s](%s)' % (p, p) for p in plots] + ['']
    out += ['## Environment', ''] + table_env(env) + ['']
    return '\n'.join(out)


# ---------------------------------------------------------------- plots

GP_HEAD = '''set terminal pngcairo size 1280,680 noenhanced font ",10"
set style data histogram
set style fill solid 0.8 border -1
set grid ytics
set key top left
set xtics rotate by -35
set bmargin 10
'''


def short_label(groups, w, b, p):
    """A variant as a plot label: the workload, with the page sizes where
    the workload runs in more than one."""
    if w in TLB_WORKLOADS:
        return '%s %s/%s' % (w, p.upper(), b)
    if len({k[2] for k in groups if k[0] == w}) > 1:
        return '%s %s' % (w, b)
    return w


def plot_ns(groups, cfgs, outdir):
    with open(os.path.join(outdir, 'ns.dat'), 'w') as f:
        f.write('# variant, then median min max per config: %s\n' %
                ' '.join(cfgs))
        for w, b, p in variants(groups):
            cells = []
            for c in cfgs:
                g = groups.get((w, c, b, p))
                cells.append('%g %g %g' % (g.median, g.min, g.max) if g
                             else 'NaN NaN NaN')
            f.write('"%s" %s\n' % (short_label(groups, w, b, p),
                                   ' '.join(cells)))
    return ('set output "ns-per-iteration.png"\n'
            'set title "ns per iteration: median, bars from min to max '
            '(log scale)"\nset logscale y\n'
            'set style histogram errorbars gap 2 lw 1\n'
            'set ylabel "ns per iteration"\nplot ' +
            ', \\\n     '.join('"ns.dat" using %d:%d:%d:xtic(1) title "%s"' %
                                 (2 + 3 * i, 3 + 3 * i, 4 + 3 * i, c)
                                 for i, c in enumerate(cfgs)) +
            '\nunset logscale y\n')


def plot_targets(groups, rats, outdir):
    with open(os.path.join(outdir, 'targets.dat'), 'w') as f:
        f.write('# ratio, value / target (met at or below 1)\n')
        for r in rats:
            if r.target is not None:
                label = '%s: %s' % (short_label(groups, r.workload,
                                                r.num.backing,
                                                r.num.guest_pages), r.name())
                f.write('"%s" %g\n' % (label, r.value / r.target))
    return ('set output "targets.png"\n'
            'set title "ratio / its target: at or below 1 the target is '
            'met"\nset style histogram clustered gap 1\n'
            'set ylabel "ratio / target"\nset yrange [0:*]\n'
            'set arrow 1 from graph 0, first 1 to graph 1, first 1 '
            'nohead lw 2 lc rgb "red"\nset rmargin 16\n'
            'plot "targets.dat" using 2:xtic(1) notitle\n'
            'unset arrow 1\nset autoscale y\nset rmargin -1\n')


def plot_tlb(groups, cfgs, outdir):
    """gups under every page-size combination, with the NPT model."""
    combos = [(p, b) for p in PAGES for b in BACKINGS
              if any(k[0] == 'gups' and (k[3], k[2]) == (p, b)
                     for k in groups if k[1] != 'native')]
    if not combos:
        return ''
    with open(os.path.join(outdir, 'tlb.dat'), 'w') as f:
        f.write('# combo, ns per iteration per config: %s, NPT model '
                'refs\n' % ' '.join(cfgs))
        for p, b in combos:
            cells = []
            model = 'NaN'
            for c in cfgs:
                g = groups.get(('gups', c, b, p))
                if c == 'native':
                    g = native_match(groups, 'gups', b, p)
                cells.append('%g' % g.median if g else 'NaN')
                if g and c.endswith('-npt') and model == 'NaN':
                    model = '%g' % Model(g).refs
            f.write('"guest %s / host %s" %s %s\n' % (
                p.upper(), b, ' '.join(cells), model))
    return ('set output "tlb.png"\n'
            'set title "gups: ns per update (bars, native at the same TLB '
            'page size) and refs per TLB miss modelled for NPT (line)"\n'
            'set style histogram clustered gap 2\n'
            'set ylabel "ns per iteration"\nset yrange [0:*]\n'
            'set y2label "memory refs per TLB miss (model)"\nset y2tics\n'
            'set y2range [0:26]\nplot ' +
            ', \\\n     '.join(
                ['"tlb.dat" using %d:xtic(1) title "%s"' % (2 + i, c)
                 for i, c in enumerate(cfgs)] +
                ['"" using 0:%d axes x1y2 with linespoints lw 3 pt 7 '
                 'lc rgb "black" title "NPT model"' % (2 + len(cfgs))]) +
            '\n')


def write_plots(groups, rats, outdir):
    """Write the .dat files and plots.gp, run gnuplot; the PNG names."""
    cfgs = configs_present(groups)
    gp = [GP_HEAD]
    plots = []
    if groups:
        gp.append(plot_ns(groups, cfgs, outdir))
        plots.append('ns-per-iteration.png')
    if any(r.target is not None for r in rats):
        gp.append(plot_targets(groups, rats, outdir))
        plots.append('targets.png')
    tlb = plot_tlb(groups, cfgs, outdir)
    if tlb:
        gp.append(tlb)
        plots.append('tlb.png')
    with open(os.path.join(outdir, 'plots.gp'), 'w') as f:
        f.write(''.join(gp))
    proc = subprocess.run(['gnuplot', 'plots.gp'], cwd=outdir,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    if proc.returncode:
        print('bench-report: gnuplot failed:\n' + proc.stdout,
              file=sys.stderr)
        return []
    return plots


def report(lines, outdir, plots=True):
    """Write outdir/results.md (and plots); returns (Data, ratios)."""
    data = Data().read(lines)
    groups = data.groups()
    rats = ratios(groups)
    names = []
    if plots and groups:
        if shutil.which('gnuplot'):
            names = write_plots(groups, rats, outdir)
        else:
            print('bench-report: no gnuplot (Debian: gnuplot-nox): '
                  'no plots', file=sys.stderr)
    with open(os.path.join(outdir, 'results.md'), 'w') as f:
        f.write(markdown(data, groups, rats, names))
    return data, rats


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('raw')
    ap.add_argument('--out')
    ap.add_argument('--no-plots', action='store_true')
    a = ap.parse_args()
    outdir = a.out or os.path.dirname(os.path.abspath(a.raw))
    os.makedirs(outdir, exist_ok=True)
    with open(a.raw, errors='replace') as f:
        data, rats = report(f.readlines(), outdir, not a.no_plots)
    print('bench-report: %d runs in %d groups; %s' % (
        len(data.runs), len(data.groups()), os.path.join(outdir,
                                                         'results.md')))
    for r in rats:
        if r.target is not None:
            print('bench-report: %-7s %s %s (%s): %s, target <= %s' % (
                r.verdict(), r.workload, r.name(), r.variant,
                fmt_ratio(r.value), r.target))
    for b in data.bad:
        print('bench-report: line %d unreadable: %s' % (b[0], b[2]),
              file=sys.stderr)
    for f in data.failed:
        print('bench-report: runner: %s' % f, file=sys.stderr)
    if not data.runs:
        print('bench-report: no svmhv-bench lines in %s' % a.raw,
              file=sys.stderr)
        return 1
    return 1 if data.bad else 0


if __name__ == '__main__':
    sys.exit(main())
