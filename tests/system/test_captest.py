"""Capability syscalls in QEMU: the captest and stress root tasks (servers/captest, servers/stress).

Two boots, one per suite:
  * `test init=/tests/captest`: every case prints `ktest: <area>.<name>: PASS|FAIL ...` and the
    program ends with `ktest: N passed, M failed`; the kernel leaves QEMU with success only if the
    root task exits 0.
  * `test init=/tests/stress`: four threads make 2^20 random system calls, each result checked
    against the documented ones; prints `stress: calls=N errors_unexpected=M`, then its own ktest
    cases (the memory check runs as the framework's leak check and as a second case)."""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

SERVERS = Path(__file__).resolve().parents[2] / "servers"


def registered_cases(*dirs):
    """The MU_TEST(area, name) cases in the sources, in the order they are written."""
    cases = []
    for d in dirs:
        for path in sorted((SERVERS / d).glob("*.cc")):
            cases += [f"{a}.{n}" for a, n in
                      re.findall(r"^MU_TEST\((\w+),\s*(\w+)\)", path.read_text(), re.M)]
    return cases


def boot_root_task(suite, program, extra_cmdline="", timeout=600):
    out = harness.work_dir(suite)
    disk = harness.make_disk(out, program, f"cmdline=test init=/tests/{program} {extra_cmdline}\n")
    with harness.Boot(out, program, disk) as boot:
        try:
            summary = boot.wait_for(r"^ktest: (\d+) passed, (\d+) failed", timeout=timeout)
            status = boot.wait_exit(timeout=60)
        finally:
            log = boot.text()
    return summary, status, log


class RootTaskSuite(unittest.TestCase):
    """Shared checks; subclasses set the boot results in setUpClass."""

    log = ""

    def lines(self, pattern):
        return [m for m in (re.search(pattern, line) for line in self.log.splitlines()) if m]

    def check_cases(self, expected_cases):
        results = self.lines(r"^ktest: (\w+\.\w+): (PASS|FAIL)(.*)$")
        names = [m.group(1) for m in results]
        self.assertEqual(len(names), len(set(names)), "a case reported twice")
        failures = [f"{m.group(1)}:{m.group(3)}" for m in results if m.group(2) != "PASS"]
        self.assertEqual(failures, [])
        missing = sorted(set(expected_cases) - set(names))
        self.assertEqual(missing, [], "cases that printed no result")
        passed, failed = int(self.summary.group(1)), int(self.summary.group(2))
        self.assertEqual(failed, 0)
        self.assertEqual(passed, len(names))
        self.assertGreaterEqual(passed, len(expected_cases))

    def check_no_panic(self):
        self.assertFalse(self.lines(r"^EXCEPTION:|^PANIC|panic:|^kernel: .*canary"))

    def check_started_as_root_task(self, program):
        self.assertTrue(self.lines(rf"^init: started pid=\d+ path=/tests/{program} .*untyped_caps=\d+"))


class CapTest(RootTaskSuite):
    @classmethod
    def setUpClass(cls):
        cls.summary, cls.status, cls.log = boot_root_task("captest", "captest")

    def test_started_as_root_task(self):
        self.check_started_as_root_task("captest")

    def test_every_case_passes(self):
        self.check_cases(registered_cases("captest"))

    def test_cap_area_has_its_cases(self):
        cap_cases = [c for c in registered_cases("captest") if c.split(".")[0] in ("cap", "retype")]
        self.assertGreaterEqual(len(cap_cases), 40)
        reported = {m.group(1) for m in self.lines(r"^ktest: (\w+\.\w+): PASS$")}
        self.assertEqual(sorted(set(cap_cases) - reported), [])

    def test_kernel_never_panicked(self):
        self.check_no_panic()

    def test_framebuffer_handed_over_once(self):
        # info.framebuffer_frame_maps_and_hands_over maps a framebuffer frame: the kernel's screen
        # console detaches at that first mapping and says so once (on serial, its only console now).
        handed = self.lines(r"^kernel: framebuffer handed to user space$")
        if self.lines(r"^kernel: .*screen: framebuffer console$"):
            self.assertEqual(len(handed), 1)
        else:
            self.assertLessEqual(len(handed), 1)

    def test_exit_status(self):
        self.assertEqual(self.status, 1)  # isa-debug-exit code 0 -> QEMU status 1


class Stress(RootTaskSuite):
    @classmethod
    def setUpClass(cls):
        cls.summary, cls.status, cls.log = boot_root_task("captest_stress", "stress", timeout=840)

    def test_started_as_root_task(self):
        self.check_started_as_root_task("stress")

    def test_a_million_calls_all_documented(self):
        m = self.lines(r"^stress: calls=(\d+) errors_unexpected=(\d+)$")
        self.assertEqual(len(m), 1)
        calls, unexpected = int(m[0].group(1)), int(m[0].group(2))
        self.assertGreaterEqual(calls, 1_000_000)
        unexplained = [x.group(0) for x in self.lines(r"^stress: (worker|sys) .*")]
        self.assertEqual(unexpected, 0, "\n".join(unexplained))

    def test_cases_pass_and_memory_returns(self):
        # stress.random_syscalls fails with a leak message if the untyped the workers' objects
        # came from is not whole again after revoking; untyped_full_cycle checks it once more.
        self.check_cases(registered_cases("stress"))

    def test_kernel_never_panicked(self):
        self.check_no_panic()

    def test_exit_status(self):
        self.assertEqual(self.status, 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
