# SPDX-License-Identifier: GPL-2.0
"""Run a module's unittest cases as one framed TAP suite.

main(NAME, MODULE) with --tap prints the cases as TAP framed for
svmhv-test.py local (# svmhv-suite: NAME ... # svmhv-exit: NAME STATUS),
each failure's traceback after its "not ok" line; without --tap it is
unittest's own main().  load(FILE) imports a script of this folder whose
name is not a module name (bench-report.py), for its tests.
"""

import importlib.util
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def load(filename):
    """The script HERE/FILENAME as a module."""
    name = os.path.splitext(filename)[0].replace('-', '_')
    spec = importlib.util.spec_from_file_location(
        name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TapResult(unittest.TextTestResult):
    """Prints one TAP line per test."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.n = 0

    def tap(self, test, ok, why=''):
        self.n += 1
        print('%s %d %s' % ('ok' if ok else 'not ok', self.n, test.id()))
        for ln in why.splitlines():
            print('# ' + ln)

    def addSuccess(self, test):
        super().addSuccess(test)
        self.tap(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.tap(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self.tap(test, False, self._exc_info_to_string(err, test))


def main(name, module):
    if sys.argv[1:] != ['--tap']:
        unittest.main(module=module)
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    print('# svmhv-suite: %s' % name)
    print('1..%d' % suite.countTestCases())
    sys.stdout.flush()
    with open(os.devnull, 'w') as null:
        res = unittest.TextTestRunner(stream=null, resultclass=TapResult,
                                      verbosity=0).run(suite)
    print('# svmhv-exit: %s %d' % (name, 0 if res.wasSuccessful() else 1))
    return 0
