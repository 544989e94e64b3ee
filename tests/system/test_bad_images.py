"""System suite: muboot refuses a bad kernel or a missing initrd with a message naming the file
and the reason, returns to the firmware, and never starts the kernel."""

import sys
import unittest

import harness

ELF_MACHINE_OFFSET = 18  # e_machine, ELF64 header (System V gABI)


def load_end(elf):
    """End of the file bytes of the highest PT_LOAD segment (ELF64 little endian)."""
    phoff = int.from_bytes(elf[32:40], "little")
    phentsize = int.from_bytes(elf[54:56], "little")
    phnum = int.from_bytes(elf[56:58], "little")
    end = 0
    for i in range(phnum):
        ph = elf[phoff + i * phentsize: phoff + (i + 1) * phentsize]
        if int.from_bytes(ph[0:4], "little") == 1:  # PT_LOAD
            offset = int.from_bytes(ph[8:16], "little")
            filesz = int.from_bytes(ph[32:40], "little")
            end = max(end, offset + filesz)
    return end


class BadImages(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("bad_images")
        cls.kernel = harness.default_inputs()["kernel"].read_bytes()

    def refused(self, name, cfg, reason, **replacements):
        disk = harness.make_disk(self.dir, name, cfg, **replacements)
        with harness.Boot(self.dir, name, disk) as boot:
            error = boot.wait_for(r"^muboot: error: (\S+): (.*)$", timeout=180)
            boot.wait_for(r"^muboot: returning to firmware$", timeout=60)
            # The firmware regains control: its boot manager moves on to the next option.
            boot.wait_for(r"BdsDxe|Shell>|UEFI Interactive Shell|Boot Manager|failed", timeout=90)
            text = boot.text()
        self.assertRegex(error.group(2), reason)
        self.assertNotIn("muboot: kernel ", text, "muboot went on to hand over")
        self.assertNotIn("bootinfo:", text, "the kernel ran")
        return error.group(1)

    def test_truncated_kernel(self):
        truncated = self.dir / "truncated.elf"
        # Cut inside the last loadable segment's bytes (debug sections alone would not matter).
        truncated.write_bytes(self.kernel[: load_end(self.kernel) - 16])
        path = self.refused("truncated", "", r"outside the file|out of file|truncated",
                            kernel=truncated)
        self.assertEqual(path.lower(), r"\boot\kernel.elf")

    def test_kernel_for_another_machine(self):
        corrupt = bytearray(self.kernel)
        corrupt[ELF_MACHINE_OFFSET:ELF_MACHINE_OFFSET + 2] = (3).to_bytes(2, "little")  # EM_386
        path_ = self.dir / "i386.elf"
        path_.write_bytes(bytes(corrupt))
        self.refused("machine", "", r"x86-64|x86_64|machine", kernel=path_)

    def test_garbage_kernel(self):
        garbage = self.dir / "garbage.elf"
        garbage.write_bytes(b"MZ this is not an ELF file at all" * 100)
        self.refused("garbage", "", r"magic|not an ELF", kernel=garbage)

    def test_missing_kernel(self):
        path = self.refused("nokernel", "kernel=\\boot\\nope.elf\n", r"not found|missing|No such")
        self.assertEqual(path.lower(), r"\boot\nope.elf")

    def test_missing_initrd(self):
        path = self.refused("noinitrd", "initrd=\\boot\\missing.cpio\n", r"not found|missing|No such")
        self.assertEqual(path.lower(), r"\boot\missing.cpio")

    def test_corrupt_initrd_is_reported_by_the_kernel_which_keeps_running(self):
        # muboot hands over any initrd bytes; the kernel's cpio reader must refuse the damage.
        initrd = bytearray(harness.default_inputs()["initrd"].read_bytes())
        second_header = initrd.index(b"070701", 6)
        initrd[second_header + 6:second_header + 14] = b"XXXXXXXX"  # c_ino: not hexadecimal
        corrupt = self.dir / "corrupt.cpio"
        corrupt.write_bytes(bytes(initrd))
        disk = harness.make_disk(self.dir, "corrupt_initrd", "cmdline=test\n", initrd=corrupt)
        with harness.Boot(self.dir, "corrupt_initrd", disk) as boot:
            boot.wait_for(rf"^initrd: error: .*hexadecimal at offset {second_header}$", timeout=180)
            boot.wait_for(r"^init: cannot start /sbin/init: not found", timeout=60)
            status = boot.wait_exit(timeout=60)
            text = boot.text()
        self.assertEqual(status, 3, "test mode reports the failure through isa-debug-exit")
        self.assertNotIn("EXCEPTION", text)
        self.assertNotIn("PANIC", text)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
