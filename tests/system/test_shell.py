"""The shell (/sbin/shell) end to end: one boot with `cmdline=test`, commands typed on the
serial port, their output checked against the initrd, the service manifest and each other.

The tests run in the order of their names (one boot, later tests build on earlier state):
the screen check first while the banner is still on screen, `kill` near the end, `poweroff`
last. Fault handling of a supervised program is checked with `run /bin/faulter` (init starts,
watches and tears down a `run` program the same way it does a service), and service recovery
with `kill` and `restart` of the console."""

import re
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import screen  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "muos> "
BANNER = "muOS shell: type 'help' for the commands"
COMMANDS = ["help", "echo", "ls", "cat", "ps", "caps", "kill", "run", "restart", "mem", "uptime",
            "reboot", "poweroff"]
# What the manifest grants the console: COM1 and the i8042 data and command ports.
CONSOLE_PORTS = {(0x3F8, 0x3FF), (0x60, 0x60), (0x64, 0x64)}


def read_cpio(path):
    """(mode, size, path) of every entry of a newc archive, in archive order."""
    data = Path(path).read_bytes()
    entries, pos = [], 0
    while True:
        header = data[pos:pos + 110]
        if header[:6] != b"070701":
            raise AssertionError(f"{path}: bad cpio header at {pos}")
        field = lambda i: int(header[6 + 8 * i:14 + 8 * i], 16)  # noqa: E731
        mode, size, name_size = field(1), field(6), field(11)
        name = data[pos + 110:pos + 110 + name_size - 1].decode()
        pos = (pos + 110 + name_size + 3) & ~3
        if name == "TRAILER!!!":
            return entries
        entries.append((mode, size, name))
        pos = (pos + size + 3) & ~3


def mode_string(mode):
    kind = {0o040000: "d", 0o100000: "-", 0o120000: "l"}.get(mode & 0o170000, "?")
    return kind + "".join(c if mode & (0o400 >> i) else "-" for i, c in enumerate("rwxrwxrwx"))


def manifest_services():
    """name -> priority of each `service` line of initrd/etc/services."""
    services = {}
    for line in (ROOT / "initrd" / "etc" / "services").read_text().splitlines():
        match = re.match(r"\s*service\s+(\S+)\s+(.*)", line)
        if match:
            priority = re.search(r"\bpriority=(\d+)", match.group(2))
            services[match.group(1)] = int(priority.group(1)) if priority else None
    return services


class Shell(unittest.TestCase):
    boot = None
    echoes = None

    @classmethod
    def setUpClass(cls):
        cls.dir = harness.work_dir("shell")
        disk = harness.make_disk(cls.dir, "shell", "cmdline=test\n")
        cls.boot = harness.Boot(cls.dir, "shell", disk, serial_input=True)
        cls.boot.wait_text(re.escape(BANNER), timeout=300)
        cls.prompt_end = cls.boot.wait_text(re.escape(PROMPT), timeout=120).end()

    @classmethod
    def tearDownClass(cls):
        if cls.boot is not None:
            cls.boot.kill()

    # ---- Talking to the shell ----

    def type_line(self, line, timeout=120):
        """Types `line` and a newline at the prompt; returns the output up to the next prompt
        (the echoed input line removed, init's log lines left in)."""
        cls = type(self)
        # Output from here on belongs to this command (the shell printed its prompt already;
        # anything after it that came before the input, such as an init log line, is skipped).
        start = cls.boot.position()
        cls.boot.send(line + "\n")
        match = cls.boot.wait_text(re.escape(PROMPT), start=start, timeout=timeout)
        cls.prompt_end = match.end()
        output = cls.boot.stream_text(start)[:match.start() - start]
        lines = output.split("\n")
        if cls.echoes is None:  # learnt from the first command: does the console echo input?
            cls.echoes = lines[0].strip() == line.strip()
        if cls.echoes:
            lines = lines[1:]  # the typed line (possibly cut or filtered by the console)
        return "\n".join(lines)

    def run_command(self, line, timeout=120):
        return self.type_line(line, timeout)

    def rows(self, output, pattern):
        return [m for m in (re.match(pattern, l) for l in output.splitlines()) if m]

    def ps(self):
        output = self.run_command("ps")
        self.assertRegex(output, r"(?m)^\s*PID\s+NAME\s+PRIO\s+STATE\s+MEM\b")
        return {m.group(2): {"pid": int(m.group(1)), "prio": int(m.group(3)),
                             "state": m.group(4), "mem_kib": int(m.group(5)),
                             "restarts": int(m.group(6))}
                for m in self.rows(output, r"^\s*(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)K\s+(\d+)$")}

    def assert_services_up(self):
        procs = self.ps()
        for name in manifest_services():
            self.assertIn(name, procs, f"service {name} missing from ps")
            self.assertIn(procs[name]["state"], ("running", "blocked"), f"{name}: {procs[name]}")
        return procs

    def assert_echo_works(self, word="still-alive"):
        self.assertEqual(self.run_command(f"echo {word}").strip(), word)

    def echo_through_new_console(self, word, since, tries=5):
        """After the console was restarted (at stream position `since`): wait for the new one's
        `console: ready` line. The shell's prompts around then may come before the new console
        registered, and input typed before it set up the serial port can be lost, so type an
        echo until its answer comes back, then wait for the prompt that follows it."""
        cls = type(self)
        cls.boot.wait_text(r"console: ready", start=since, timeout=60)
        for attempt in range(tries):
            start = cls.boot.position()
            cls.boot.send(f"echo {word}\n")
            try:
                answer = cls.boot.wait_text(rf"(?m)^{word}$", start=start, timeout=10)
            except AssertionError:
                if attempt == tries - 1:
                    raise
                continue
            cls.prompt_end = cls.boot.wait_text(re.escape(PROMPT), start=answer.end()).end()
            return
        raise AssertionError("unreachable")

    # ---- The tests, in name order ----

    def test_00_screen_shows_banner_and_prompt(self):
        ppm = self.dir / "prompt.ppm"
        self.boot.monitor(f"screendump {ppm}")
        width, height, rgb = harness.read_ppm(ppm)
        harness.write_png(self.dir / "prompt.png", width, height, rgb)
        font, font_path = screen.console_font()
        shot = screen.Screen(width, height, rgb)
        banner = shot.find_text(font, BANNER)
        prompt = shot.find_text(font, PROMPT)
        self.assertEqual(len(banner), 1, f"banner glyphs ({font_path}) not found once: {banner}")
        self.assertTrue(prompt, "prompt glyphs not found on the screen")
        # The prompt is on a line below the banner, at the left edge of the banner's column.
        (bx, by), = banner
        self.assertTrue(any(x == bx and y > by for x, y in prompt), f"{banner} {prompt}")

    def test_01_help_lists_every_command(self):
        output = self.run_command("help")
        listed = [m.group(1) for m in self.rows(output, r"^\s+(\w+)\s+.*\S")]
        self.assertEqual(listed, COMMANDS)

    def test_02_echo(self):
        self.assertEqual(self.run_command("echo hello   world 'a  b' \"c\"").strip(),
                         "hello world a  b c")
        self.assertEqual(self.run_command("echo").strip(), "")

    def test_03_ls_matches_the_initrd(self):
        output = self.run_command("ls")
        shown = [(m.group(1), int(m.group(2)), m.group(3))
                 for m in self.rows(output, r"^([-dl?][-rwx]{9})\s+(\d+)\s+/(\S+)$")]
        expected = [(mode_string(mode), size, name)
                    for mode, size, name in read_cpio(harness.build_dir() / "initrd.cpio")]
        self.assertEqual(shown, expected)

    def test_04_cat(self):
        motd = (ROOT / "initrd" / "etc" / "motd").read_text()
        self.assertEqual(self.run_command("cat /etc/motd"), motd)
        self.assertEqual(self.run_command("cat /no/such/file").strip(),
                         "shell: cat: /no/such/file: not found")
        self.assertEqual(self.run_command("cat").strip(), "usage: cat <path>")
        self.assertEqual(self.run_command("cat /sbin/shell").strip(),
                         "shell: cat: /sbin/shell: not a text file")

    def test_05_ps_shows_the_manifest_services(self):
        procs = self.assert_services_up()
        for name, priority in manifest_services().items():
            if priority is not None:
                self.assertEqual(procs[name]["prio"], priority, name)
        for name in ("console", "shell"):
            self.assertIn(name, procs)
            self.assertGreater(procs[name]["mem_kib"], 0)

    def test_06_caps_of_the_console(self):
        pid = self.ps()["console"]["pid"]
        output = self.run_command(f"caps {pid}")
        self.assertRegex(output, r"(?m)^\s*SLOT\s+TYPE\s+RIGHTS\s+BADGE")
        rows = self.rows(output, r"^\s*(\d+)\s+(\w+)\s+([-r][-w][-g][-R])\s+(.*)$")
        self.assertTrue(rows, output)
        slots = [int(m.group(1)) for m in rows]
        self.assertEqual(slots, sorted(set(slots)))
        ports = set()
        for m in rows:
            if m.group(2) == "IoPort":
                r = re.fullmatch(r"ports 0x([0-9a-f]+)-0x([0-9a-f]+)", m.group(4))
                self.assertTrue(r, m.group(0))
                ports.add((int(r.group(1), 16), int(r.group(2), 16)))
        io_rows = [m for m in rows if m.group(2) == "IoPort"]
        self.assertEqual(len(io_rows), len(CONSOLE_PORTS), output)
        self.assertEqual(ports, CONSOLE_PORTS)
        self.assertIn("Endpoint", [m.group(2) for m in rows])  # init's endpoint at least
        self.assertEqual(self.run_command("caps 99999").strip(),
                         "shell: caps: 99999: no such process")
        self.assertEqual(self.run_command("caps x1").strip(), "shell: caps: 'x1' is not a number")

    def test_07_mem_adds_up(self):
        output = self.run_command("mem")
        values = {m.group(1): int(m.group(2))
                  for m in self.rows(output, r"^\s*(total|kernel|services|init|free)\s+(\d+) KiB$")}
        self.assertEqual(set(values), {"total", "kernel", "services", "init", "free"}, output)
        parts = values["kernel"] + values["services"] + values["init"] + values["free"]
        # Each part is rounded down to whole KiB on its own.
        self.assertLessEqual(abs(values["total"] - parts), 4, values)
        self.assertGreater(values["free"], 0)
        self.assertGreater(values["services"], 0)

    def test_08_uptime_increases(self):
        pattern = r"(?m)^up (\d+)\.(\d{3}) s$"
        first = re.search(pattern, self.run_command("uptime"))
        self.assert_echo_works()
        second = re.search(pattern, self.run_command("uptime"))
        self.assertTrue(first and second)
        ms = lambda m: int(m.group(1)) * 1000 + int(m.group(2))  # noqa: E731
        self.assertGreater(ms(second), ms(first))
        self.assertGreater(ms(first), 0)

    def test_09_run_hello(self):
        output = self.run_command("run /bin/hello a b")
        for line in ("hello: argc=3", "hello: argv[0]=/bin/hello", "hello: argv[1]=a",
                     "hello: argv[2]=b"):
            self.assertIn(line, output.splitlines())
        self.assertRegex(output, r"(?m)^/bin/hello \(pid \d+\) exited with code 0$")
        self.assertEqual(self.run_command("run /bin/nothing").strip(),
                         "shell: run: /bin/nothing: not found")
        self.assertEqual(self.run_command("run").strip(), "usage: run <program> [args...]")

    def test_10_run_memhog_runs_out_alone(self):
        before = self.ps()
        output = self.run_command("run /bin/memhog", timeout=300)
        self.assertRegex(output, r"(?m)^memhog: allocated \d+ KiB then ran out")
        self.assertRegex(output, r"(?m)^/bin/memhog \(pid \d+\) exited with code 12$")
        after = self.assert_services_up()
        for name in manifest_services():
            self.assertEqual(after[name]["pid"], before[name]["pid"], f"{name} was restarted")
        self.assert_echo_works()

    def test_11_run_faulter_reports_the_fault(self):
        output = self.run_command("run /bin/faulter")
        match = re.search(r"(?m)^/bin/faulter \(pid (\d+)\) faulted: #PF \(vector 14\)$", output)
        self.assertTrue(match, output)
        self.assertIn(f"(pid {match.group(1)}) faulted: #PF", self.boot.text())  # init's log
        self.assert_services_up()
        self.assert_echo_works()

    def test_12_bad_input_never_kills_the_shell(self):
        self.assertEqual(self.run_command("frobnicate now").strip(),
                         "shell: unknown command 'frobnicate' (try help)")
        self.assertEqual(self.run_command("kill").strip(), "usage: kill <pid>")
        self.assertEqual(self.run_command("kill 12abc").strip(),
                         "shell: kill: '12abc' is not a number")
        self.assertEqual(self.run_command("uptime now").strip(), "usage: uptime")
        self.assertEqual(self.run_command("echo 'unclosed").strip(),
                         "shell: unclosed quote (at byte 5)")
        self.assertEqual(self.run_command("").strip(), "")
        self.assertEqual(self.run_command("   \t ").strip(), "")
        # Control characters: the console may drop them or pass them on; either way one error
        # line at most, and the prompt returns.
        for junk in ("\x01\x02\x05\x0b\x0e", "ab\x1b[Dcd", "\x7f\x7f", "x\x00y"):
            output = self.run_command(junk).strip()
            self.assertLessEqual(len(output.splitlines()), 1, repr(output))
            if output:
                self.assertRegex(output, r"^shell: ")
        # A line far over the console's limit (kMaxLineBytes = 488): cut or refused.
        output = self.run_command("x" * 2000).strip()
        self.assertLessEqual(len(output.splitlines()), 1, output[:200])
        if output:
            self.assertRegex(output, r"^shell: ")
        # Ctrl-C drops the line being typed and gives a fresh prompt.
        start = self.boot.position()
        self.boot.send("echo dropped\x03")
        type(self).prompt_end = self.boot.wait_text(re.escape(PROMPT), start=start).end()
        self.assert_echo_works("after-ctrl-c")
        self.assertNotIn("\ndropped\n", self.boot.stream_text(start))
        self.assert_services_up()

    def test_13_restart_console(self):
        old = self.ps()["console"]["pid"]
        since = self.boot.position()
        output = self.run_command("restart console")
        match = re.search(r"(?m)^restarted console as pid (\d+)$", output)
        self.assertTrue(match, output)
        self.assertNotEqual(int(match.group(1)), old)
        self.echo_through_new_console("after-restart", since)
        self.assertEqual(self.ps()["console"]["pid"], int(match.group(1)))

    def test_14_kill_console_is_restarted(self):
        procs = self.ps()
        pid = procs["console"]["pid"]
        start = self.boot.position()
        self.boot.send(f"kill {pid}\n")
        self.boot.wait_text(rf"(?m)^killed pid {pid}$", start=start, timeout=60)
        self.boot.wait_text(rf"init: console \(pid {pid}\) killed", start=start, timeout=60)
        self.boot.wait_text(r"init: started console pid=\d+", start=start, timeout=60)
        # The shell's pending read failed with the old console; it retries until the new one
        # answers.
        self.echo_through_new_console("after-kill", start)
        after = self.assert_services_up()
        self.assertNotEqual(after["console"]["pid"], pid)
        self.assertGreaterEqual(after["console"]["restarts"], 1)
        self.assertEqual(after["shell"]["pid"], procs["shell"]["pid"])

    def test_15_faulted_console_is_restarted(self):
        procs = self.ps()
        pid = procs["console"]["pid"]
        start = self.boot.position()
        # console_fault sends the console its TestFault request (honoured in test mode only).
        self.boot.send("run /tests/console_fault\n")
        self.boot.wait_text(rf"init: console \(pid {pid}\) faulted: #PF at 0x10 ", start=start,
                            timeout=60)
        self.boot.wait_text(r"init: started console pid=\d+", start=start, timeout=60)
        self.boot.wait_text(r"console_fault: call ended: (slot empty|cancelled)", start=start,
                            timeout=60)
        self.echo_through_new_console("after-fault", start)
        after = self.assert_services_up()
        self.assertNotEqual(after["console"]["pid"], pid)
        self.assertEqual(after["shell"]["pid"], procs["shell"]["pid"])

    def test_99_poweroff_ends_qemu(self):
        self.boot.send("poweroff\n")
        # Test mode leaves through isa-debug-exit: status 1 is success.
        self.assertEqual(self.boot.wait_exit(timeout=60), 1)


class ShellReboot(unittest.TestCase):
    """`reboot` in a boot of its own: the machine resets (QEMU runs with -no-reboot in tests, so
    a reset ends it with status 0, not through isa-debug-exit)."""

    def test_reboot_resets_the_machine(self):
        out = harness.work_dir("shell_reboot")
        disk = harness.make_disk(out, "reboot", "cmdline=test\n")
        with harness.Boot(out, "reboot", disk, serial_input=True) as boot:
            boot.wait_text(re.escape(PROMPT), timeout=300)
            boot.send("reboot\n")
            boot.wait_for(r"^init: rebooting$", timeout=60)
            self.assertEqual(boot.wait_exit(timeout=60), 0)
            self.assertNotIn("reboot failed", boot.text())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2, failfast=False)
