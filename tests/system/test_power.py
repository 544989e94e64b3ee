"""System suite: the kernel's ways of ending a boot — ACPI S5 power-off by default, the
isa-debug-exit status in test mode, and the exception report for a deliberate kernel fault."""

import sys
import unittest

import harness


class Power(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("power")

    def test_default_command_line_powers_off_through_acpi(self):
        disk = harness.make_disk(self.dir, "acpi", "cmdline=\n")
        with harness.Boot(self.dir, "acpi", disk) as boot:
            boot.wait_for(r"^kernel: powering off \(ACPI S5\)", timeout=180)
            # QEMU leaves by itself only if the guest really entered S5.
            self.assertEqual(boot.wait_exit(timeout=60), 0)

    def test_test_mode_exits_through_debug_exit_with_success(self):
        disk = harness.make_disk(self.dir, "testexit", "cmdline=test\n")
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
        for register in ("RIP", "RSP", "RAX", "R15", "CR2", "CR3"):
            self.assertRegex(text, rf"\b{register}\b", f"register {register} missing from dump")
        self.assertRegex(text, r"CR2\W+0x0*dead", "fault address not reported")
        frames = [l for l in text.splitlines() if l.strip().startswith("#")]
        named = [l for l in frames if "+0x" in l]
        self.assertGreaterEqual(len(named), 3, f"backtrace has too few named frames: {frames}")
        self.assertRegex(text, r"fault_chain|trigger_fault", "test fault chain not symbolized")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
