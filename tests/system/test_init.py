"""init as the root task (servers/init): the program builder, supervision and proto/init.h.

One boot with `test` and an /etc/services of test programs (initrd_util replaces the file):
  * idle (init_probe idle): registers "idle" and sleeps: a service for lookup, kill and restart;
  * probe (init_probe): checks the name service, information and control operations from an
    admin service, printing `init_probe: <check>: ok|FAIL`, then asks init to power off;
  * crasher (crash_null, restart=on-failure, max_restarts=2): faults, is restarted with a
    doubling backoff and given up on;
  * badelf (/etc/motd as a program): refused with a clear line;
  * granted (start_check): gets I/O ports, an IRQ and the framebuffer and prints its start page.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import initrd_util  # noqa: E402

SERVICES = """\
# test services (tests/system/test_init.py)
service idle program=/tests/init_probe args=idle provides=idle restart=always backoff=50 priority=150
service probe program=/tests/init_probe provides=probe uses=idle admin restart=never heap=64 priority=120
service crasher program=/tests/crash_null restart=on-failure max_restarts=2 backoff=10
service badelf program=/etc/motd restart=never
service granted program=/tests/start_check ioport=com2:0x2f8-0x2ff ioport=0x60 irq=3 framebuffer heap=0 restart=never priority=130
service typo program=/tests/start_check prio=3
service lonely program=/tests/start_check uses=nothing
"""

PROBE_CHECKS = [
    "register provided name", "register a name not provided refused", "lookup of its own provided name refused",
    "lookup of a name not used refused", "lookup of the idle service", "procinfo lists the probe",
    "procinfo: probe blocked in its call", "procinfo lists init", "procinfo: idle blocked",
    "proccap: first full slot is the CNode", "meminfo", "listfile finds /etc/motd",
    "readfile /etc/motd", "run start_check: exited 0", "run gives its memory back",
    "run crash_null: faulted #PF", "run of a missing program", "kill idle",
    "idle restarted with a new pid", "restart idle", "restart of an unknown service",
]


class Init(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("init")
        initrd = initrd_util.with_files(cls.dir, "init", {"etc/services": SERVICES})
        disk = harness.make_disk(cls.dir, "init", "cmdline=test\n", initrd=initrd)
        with harness.Boot(cls.dir, "init", disk) as boot:
            try:
                cls.summary = boot.wait_for(r"^init_probe: (\d+) failed", timeout=300)
                cls.status = boot.wait_exit(timeout=60)
            finally:
                cls.log = boot.text()

    def lines(self, pattern):
        return [m for m in (re.search(pattern, line) for line in self.log.splitlines()) if m]

    def test_services_started_in_order(self):
        started = [m.group(1) for m in self.lines(r"^init: started (\w+) pid=\d+$")]
        self.assertEqual(started[:3], ["idle", "probe", "crasher"])
        self.assertIn("granted", started)

    def test_probe_checks_pass(self):
        self.assertEqual(int(self.summary.group(1)), 0)
        self.assertFalse(self.lines(r"^init_probe: .*: FAIL"))
        for check in PROBE_CHECKS:
            self.assertTrue(self.lines(rf"^init_probe: {re.escape(check)}: ok$"), check)

    def test_manifest_errors_logged_and_others_started(self):
        self.assertTrue(self.lines(r"^init: /etc/services:7: unknown key 'prio'$"))
        self.assertTrue(self.lines(r"^init: /etc/services:8: service 'lonely' uses 'nothing', "
                                   r"which no service provides$"))
        self.assertFalse(self.lines(r"^init: started (typo|lonely) "))

    def test_registration_logged(self):
        self.assertTrue(self.lines(r"^init: probe registered 'probe'$"))
        self.assertTrue(self.lines(r"^init: idle registered 'idle'$"))

    def test_bad_elf_refused(self):
        self.assertTrue(self.lines(r"^init: cannot start badelf: /etc/motd: .+"))
        self.assertTrue(self.lines(r"^init: badelf failed: /etc/motd cannot be loaded$"))

    def test_fault_restart_with_backoff_then_failed(self):
        faults = self.lines(r"^init: crasher \(pid (\d+)\) faulted: #PF at 0x0 rip=0x4[0-9a-f]+$")
        self.assertEqual(len(faults), 3)
        self.assertEqual(len({m.group(1) for m in faults}), 3, "each restart gets a new pid")
        self.assertTrue(self.lines(r"^init: restarting crasher \(attempt 1\) in 10 ms$"))
        self.assertTrue(self.lines(r"^init: restarting crasher \(attempt 2\) in 20 ms$"))
        self.assertTrue(self.lines(r"^init: crasher failed: gave up after 2 restarts$"))

    def test_kill_and_restart_logged(self):
        self.assertTrue(self.lines(r"^init: idle \(pid \d+\) killed$"))
        self.assertTrue(self.lines(r"^init: restarting idle \(attempt 1\) in 50 ms$"))
        self.assertTrue(self.lines(r"^init: stopping idle \(pid \d+\) for a restart$"))

    def test_run_program_start_page(self):
        self.assertTrue(self.lines(r"^start_check: pid=\d+ name=start_check argc=3 priority=120 "
                                   r"flags=2 first_free_slot=16 untyped_bytes=1048576 grants=0"))
        self.assertTrue(self.lines(r"^start_check: argv\[2\]=two$"))
        self.assertTrue(self.lines(r"^init: start_check \(pid \d+\) exited with code 0$"))
        self.assertTrue(self.lines(r"^init: crash_null \(pid \d+\) faulted: #PF at 0x0 "))

    def test_grants(self):
        self.assertTrue(self.lines(r"^start_check: grant kind=1 slot=16 count=1 a=0x2f8 b=0x2ff "
                                   r"name=com2$"))
        self.assertTrue(self.lines(r"^start_check: port 0x2f8 readable$"))
        self.assertTrue(self.lines(r"^start_check: grant kind=1 slot=17 count=1 a=0x60 b=0x60"))
        self.assertTrue(self.lines(r"^start_check: grant kind=2 slot=18 count=1 a=0x3 b=0x0 "
                                   r"name=irq3$"))
        fb = self.lines(r"^start_check: grant kind=3 slot=19 count=(\d+) .* name=framebuffer$")
        self.assertEqual(len(fb), 1)
        self.assertTrue(self.lines(r"^start_check: framebuffer \d+x\d+ pitch=\d+ bytes=\d+$"))
        self.assertFalse(self.lines(r"^start_check: .*WRONG"))
        self.assertTrue(self.lines(r"^init: granted \(pid \d+\) exited with code 0$"))

    def test_power_off(self):
        self.assertTrue(self.lines(r"^init: powering off$"))
        self.assertTrue(self.lines(r"^kernel: init exited with code 0$"))
        self.assertEqual(self.status, 1)  # isa-debug-exit code 0 -> QEMU status 1

    def test_kernel_never_panicked(self):
        self.assertFalse(self.lines(r"^EXCEPTION:|^PANIC|panic:"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
