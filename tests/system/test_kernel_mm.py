"""System suite: the memory manager's boot-time self test (`ktest=mm`): frames, the kernel's own
W^X page tables, guarded kernel stacks, address spaces, user copies that fail cleanly, SMEP and
SMAP."""

import re
import sys
import unittest

import harness
import initrd_util


class KernelMemory(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("kernel_mm")
        disk = harness.make_disk(cls.dir, "ktest", "cmdline=test ktest=mm\n",
                                 initrd=initrd_util.no_services(cls.dir))
        with harness.Boot(cls.dir, "ktest", disk) as boot:
            boot.wait_for(r"^ktest: mm: \d+ passed, \d+ failed", timeout=180)
            cls.status = boot.wait_exit(timeout=60)
            cls.text = boot.text()

    def test_every_check_passes_and_the_run_succeeds(self):
        failed = [l for l in self.text.splitlines() if l.startswith("ktest: mm: FAIL")]
        self.assertEqual(failed, [])
        summary = re.search(r"^ktest: mm: (\d+) passed, (\d+) failed", self.text, re.M)
        self.assertGreaterEqual(int(summary.group(1)), 30)
        self.assertEqual(summary.group(2), "0")
        self.assertEqual(self.status, 1, "test mode exits with success (0*2+1)")

    def test_smep_and_smap_trap_kernel_access_to_a_user_page(self):
        # QEMU -cpu max reports SMEP and SMAP, so the checks must run, not be skipped.
        self.assertIn("ktest: mm: PASS SMAP: kernel read of a user page without stac faults", self.text)
        self.assertIn("ktest: mm: PASS SMEP: kernel execution of a user page faults", self.text)

    def test_boot_memory_is_reclaimed(self):
        line = re.search(r"^mm: free_kib=(\d+) total_kib=(\d+) reclaimed_kib=(\d+)$", self.text, re.M)
        self.assertIsNotNone(line, "mm: line missing")
        free, total, reclaimed = (int(v) for v in line.groups())
        self.assertGreater(reclaimed, 0)
        self.assertLessEqual(free, total)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
