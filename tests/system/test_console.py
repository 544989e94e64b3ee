"""The console server (/sbin/console) in QEMU: one boot with an /etc/services that starts the
console and a client of it (/tests/console_check), at 1024x768. Checks the console's start-up
line, the banner on screen (screendump), the protocol's answers to good and bad requests, and
line editing with keys typed on the PS/2 keyboard (monitor `sendkey`): the echo on the serial
port and the lines the client reads."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import initrd_util  # noqa: E402

VIDEO = (1024, 768)
SERVICES = (
    "service console program=/sbin/console restart=never priority=40 heap=128 "
    "ports=com1:0x3f8-0x3ff,kbd:0x60-0x60,kbdctl:0x64-0x64 irqs=4,1 framebuffer "
    "provides=console\n"
    "service check program=/tests/console_check restart=never priority=60 heap=64 "
    "uses=console\n")
BANNER_BACKGROUND = bytes([0x1F, 0x3A, 0x5F])
WHITE = bytes([0xFF, 0xFF, 0xFF])


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("console")
        initrd = initrd_util.with_files(cls.dir, "console", {"etc/services": SERVICES})
        disk = harness.make_disk(cls.dir, "console", f"video={VIDEO[0]}x{VIDEO[1]}\n",
                                 initrd=initrd)
        cls.boot = harness.Boot(cls.dir, "console", disk)
        try:
            cls.ready = cls.boot.wait_for(r"console: ready \((.*)\)", timeout=180)
            cls.screen = cls.dir / "screen.ppm"
            cls.boot.monitor(f"screendump {cls.screen}")
            cls.checked = cls.boot.wait_for(r"console_check: problems=(\d+); reading", timeout=60)
            # "hiX", Backspace, Enter; then "abd", Left, "c", Enter; then Ctrl-C.
            for key in ["h", "i", "shift-x", "backspace", "ret", "a", "b", "d", "left", "c",
                        "ret", "ctrl-c"]:
                cls.boot.monitor(f"sendkey {key}")
            cls.interrupted = cls.boot.wait_for(r"console_check: interrupted", timeout=30)
        except BaseException:
            cls.boot.kill()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.boot.kill()

    def test_ready_with_every_device(self):
        self.assertEqual(self.ready.group(1),
                         f"serial in+out, keyboard yes, screen {VIDEO[0]}x{VIDEO[1]}")

    def test_banner_on_screen(self):
        width, height, rgb = harness.read_ppm(self.screen)
        harness.write_png(self.dir / "screen.png", width, height, rgb)
        self.assertEqual((width, height), VIDEO)
        # The banner: rows 0..31 in its background colour with white text in rows 8..23;
        # the kernel's banner (a 2x title and a second line below row 32) is gone.
        row = lambda y: rgb[y * width * 3:(y + 1) * width * 3]  # noqa: E731
        pixels = lambda y: {row(y)[i:i + 3] for i in range(0, width * 3, 3)}  # noqa: E731
        self.assertEqual(pixels(0), {BANNER_BACKGROUND})
        self.assertEqual(pixels(31), {BANNER_BACKGROUND})
        text_rows = set().union(*(pixels(y) for y in range(8, 24)))
        self.assertEqual(text_rows, {BANNER_BACKGROUND, WHITE})
        self.assertNotIn(BANNER_BACKGROUND, set().union(*(pixels(y) for y in range(32, 80))))

    def test_protocol_answers(self):
        log = self.boot.text()
        for what in ["write", "write too long", "write shorter than its length",
                     "unknown operation", "colour out of range", "read line too long",
                     "set colour"]:
            self.assertIn(f"console_check: {what}: ok", log)
        self.assertIn("console_check: written through the console", log)
        self.assertEqual(self.checked.group(1), "0")

    def test_lines_read_after_editing(self):
        lines = [l for l in self.boot.text().splitlines() if l.startswith("console_check: line")]
        self.assertEqual(lines, ["console_check: line 'hi'", "console_check: line 'abcd'"])

    def test_echo_on_serial(self):
        log = self.boot.text()
        # X and its erasure: "\b \b"; Left: "\b"; "c" inserted before "d": "cd\b"; Enter
        # prints the rest of the line ("d") before the new line; Ctrl-C prints "^C".
        self.assertIn("hiX\b \b\n", log)
        self.assertIn("abd\bcd\bd\n", log)
        self.assertIn("^C\n", log)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
