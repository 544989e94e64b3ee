"""System suite: the kernel's ways of ending a boot — ACPI S5 power-off by default, the
isa-debug-exit status in test mode, and the exception report for a deliberate kernel fault."""

import re
import sys
import unittest

import harness
import initrd_util


class Power(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("power")

    def test_default_command_line_powers_off_through_acpi(self):
        disk = harness.make_disk(self.dir, "acpi", "cmdline=\n",
                                 initrd=initrd_util.no_services(self.dir))
        with harness.Boot(self.dir, "acpi", disk) as boot:
            boot.wait_for(r"^kernel: powering off \(ACPI S5\)", timeout=180)
            # QEMU leaves by itself only if the guest really entered S5.
            self.assertEqual(boot.wait_exit(timeout=60), 0)

    def test_test_mode_exits_through_debug_exit_with_success(self):
        disk = harness.make_disk(self.dir, "testexit", "cmdline=test\n",
                                 initrd=initrd_util.no_services(self.dir))
        with harness.Boot(self.dir, "testexit", disk) as boot:
            boot.wait_for(r"^boot: loader_tsc=", timeout=180)
            # isa-debug-exit: status = value * 2 + 1; success is value 0.
            self.assertEqual(boot.wait_exit(timeout=60), 1)

    def test_kernel_page_fault_reports_registers_and_named_backtrace(self):
        disk = harness.make_disk(self.dir, "fault", "cmdline=test fault=pf\n")
        with harness.Boot(self.dir, "fault", disk) as boot:
            boot.wait_for(r"#PF", timeout=180)
            status = boot.wait_exit(timeout=60)
            text = boot.text()
        self.assertEqual(status, 3, "a kernel panic in test mode exits with failure (1*2+1)")
        self.assertIn("EXCEPTION: #PF Page Fault (vector 14)", text)
        for register in ("rip", "rsp", "rax", "r15", "cr0", "cr3"):
            self.assertRegex(text, rf"\b{register} ?=[0-9a-f]{{16}}\b", f"{register} missing from dump")
        # fault=pf reads the unmapped page at the top of the kernel's address space.
        self.assertRegex(text, r"cr2=ffffffffc0000000 \(not present, read, supervisor\)")
        frames = [l.strip() for l in text.splitlines() if re.match(r"\s+#\d+ 0x", l)]
        named = [l for l in frames if re.search(r" [\w:]+\+0x[0-9a-f]+$", l)]
        self.assertGreaterEqual(len(named), 5, f"backtrace has too few named frames: {frames}")
        for function in ("fault_injection_level1", "inject_fault", "kernel_main"):
            self.assertTrue(any(function + "+0x" in l for l in frames), f"{function} not in backtrace")

    def test_kernel_stack_overflow_lands_on_the_double_fault_stack(self):
        disk = harness.make_disk(self.dir, "overflow", "cmdline=test fault=overflow\n")
        with harness.Boot(self.dir, "overflow", disk) as boot:
            boot.wait_for(r"EXCEPTION: #DF", timeout=180)
            status = boot.wait_exit(timeout=60)
            text = boot.text()
        self.assertEqual(status, 3)
        self.assertIn("EXCEPTION: #DF Double Fault (vector 8)", text)
        self.assertRegex(text, r"\brsp=ffffffff4[0-9a-f]{7}\b", "fault not on a kernel-stack-area stack")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
