"""The user runtime (servers/lib) in programs init starts, one boot with an /etc/services of the
runtime's test programs (servers/tests/{hello,memhog,faulter}.cc), none of them restarted, so init
powers off when all three have ended. No console service runs: console_print falls back to the
kernel's debug log, which is the serial line read here.
  * hello: start page and arguments;
  * memhog: the heap grows page by page from the program's own untyped (heap=256 KiB) and
    heap_alloc returns nullptr when it is used up; the program then exits with kExitNoMemory;
  * faulter: a page fault at 0x10 reaches init as a fault;
  * rtcheck: slots, heap and operator new, and the init client (name service, information,
    refused control) against the real init.
"""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import initrd_util  # noqa: E402

SERVICES = """\
# test services (tests/system/test_runtime.py)
service hello program=/bin/hello args="one two" restart=never
service memhog program=/bin/memhog heap=256 restart=never
service faulter program=/bin/faulter restart=never
service rtcheck program=/bin/rtcheck provides=rtcheck uses=rtcheck restart=never
"""


class Runtime(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("runtime")
        initrd = initrd_util.with_files(cls.dir, "runtime", {"etc/services": SERVICES})
        disk = harness.make_disk(cls.dir, "runtime", "cmdline=test\n", initrd=initrd)
        with harness.Boot(cls.dir, "runtime", disk) as boot:
            try:
                boot.wait_for(r"^init: no services left; powering off$", timeout=300)
                cls.status = boot.wait_exit(timeout=60)
            finally:
                cls.log = boot.text()

    def lines(self, pattern):
        return [m for m in (re.search(pattern, line) for line in self.log.splitlines()) if m]

    def test_hello_prints_its_arguments(self):
        self.assertTrue(self.lines(r"^hello: argc=3$"))
        self.assertTrue(self.lines(r"^hello: argv\[0\]=/bin/hello$"))
        self.assertTrue(self.lines(r"^hello: argv\[1\]=one$"))
        self.assertTrue(self.lines(r"^hello: argv\[2\]=two$"))
        self.assertTrue(self.lines(r"^init: hello \(pid \d+\) exited with code 0$"))

    def test_memhog_runs_out_cleanly(self):
        m = self.lines(r"^memhog: allocated (\d+) KiB then ran out")
        self.assertEqual(len(m), 1)
        kib = int(m[0].group(1))
        # 256 KiB of untyped, less the page tables and block headers: three 64 KiB blocks.
        self.assertGreaterEqual(kib, 128)
        self.assertLess(kib, 256)
        self.assertTrue(self.lines(r"^init: memhog \(pid \d+\) exited with code 12$"))

    def test_faulter_page_fault_reported(self):
        self.assertTrue(
            self.lines(r"^init: faulter \(pid \d+\) faulted: #PF at 0x10 rip=0x4[0-9a-f]+$"))

    def test_rtcheck_passes(self):
        self.assertFalse(self.lines(r"^rtcheck: .*: FAIL"))
        self.assertTrue(self.lines(r"^rtcheck: 0 failed$"))
        self.assertGreaterEqual(len(self.lines(r"^rtcheck: .*: ok$")), 20)
        self.assertTrue(self.lines(r"^init: rtcheck \(pid \d+\) exited with code 0$"))


if __name__ == "__main__":
    unittest.main()
