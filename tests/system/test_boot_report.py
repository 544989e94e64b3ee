"""System suite: one boot of the real loader and kernel; checks what the kernel reports it was
handed against the QEMU configuration and the initrd file, and the framebuffer via screendump."""

import subprocess
import sys
import unittest

import harness

MEMORY_MIB = 256
VIDEO = (1024, 768)
CMDLINE = "halt console=both"


class BootReport(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("boot_report")
        cls.initrd = harness.default_inputs()["initrd"]
        disk = harness.make_disk(cls.dir, "boot", f"cmdline={CMDLINE}\nvideo={VIDEO[0]}x{VIDEO[1]}\n")
        cls.boot = harness.Boot(cls.dir, "boot", disk, memory_mib=MEMORY_MIB)
        try:
            cls.boot.wait_for(r"^kernel: halted", timeout=180)
            cls.screen = cls.dir / "screen.ppm"
            cls.boot.monitor(f"screendump {cls.screen}")
        finally:
            cls.boot.kill()
        cls.log = cls.boot.text()

    def line(self, prefix):
        for line in self.log.splitlines():
            if line.startswith(prefix):
                return line
        self.fail(f"no line starting with {prefix!r} in {self.boot.log_path}")

    def bootinfo(self):
        return harness.parse_fields(self.line("bootinfo: "))

    def test_bootinfo_version(self):
        self.assertEqual(self.bootinfo()["version"], "1")

    def test_usable_memory_within_qemu_memory_size(self):
        usable = int(self.bootinfo()["usable_kib"])
        self.assertLessEqual(usable, MEMORY_MIB * 1024)
        # OVMF keeps some RAM for itself; most of it must still be reported usable.
        self.assertGreater(usable, MEMORY_MIB * 1024 // 2)

    def test_memory_map_has_loader_regions(self):
        self.assertGreaterEqual(int(self.bootinfo()["regions"]), 4)

    def test_framebuffer_mode_is_the_configured_one(self):
        self.assertEqual(self.bootinfo()["fb"], f"{VIDEO[0]}x{VIDEO[1]}@32")

    def test_rsdp_found(self):
        self.assertNotEqual(int(self.bootinfo()["rsdp"], 16), 0)

    def test_initrd_size_is_the_file_size(self):
        self.assertEqual(int(self.bootinfo()["initrd_bytes"]), self.initrd.stat().st_size)

    def test_cmdline_passed_through(self):
        self.assertEqual(self.bootinfo()["cmdline"], CMDLINE)

    def test_initrd_listing_equals_cpio(self):
        def cpio(*flags):
            with open(self.initrd, "rb") as archive:
                return subprocess.run(["cpio", *flags, "--quiet"], stdin=archive,
                                      capture_output=True, check=True, text=True).stdout
        names = cpio("-it").split()
        verbose = cpio("-itv").splitlines()
        sizes = [int(v.split()[4]) for v in verbose]
        reported = [l.split(maxsplit=2)[1:] for l in self.log.splitlines() if l.startswith("initrd: ")]
        self.assertTrue(reported, "kernel printed no initrd: lines")
        self.assertEqual([name for _, name in reported], names)
        self.assertEqual([int(size) for size, _ in reported], sizes)

    def test_tsc_readings_are_in_boot_order(self):
        tsc = harness.parse_fields(self.line("boot: "))
        loader, exit_, kernel = (int(tsc[k]) for k in ("loader_tsc", "exit_tsc", "kernel_tsc"))
        self.assertLess(0, loader)
        self.assertLess(loader, exit_)
        self.assertLess(exit_, kernel)

    def test_screen_is_the_configured_mode_and_shows_the_banner(self):
        width, height, rgb = harness.read_ppm(self.screen)
        harness.write_png(self.dir / "screen.png", width, height, rgb)
        self.assertEqual((width, height), VIDEO)
        # The banner occupies the top text rows: they must hold more than one colour.
        top = rgb[: width * 3 * 32]
        colours = {top[i:i + 3] for i in range(0, len(top), 3)}
        self.assertGreater(len(colours), 1, "top of the screen is blank")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
