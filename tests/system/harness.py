"""Boots muOS images in QEMU+OVMF for system tests and talks to them over serial and the monitor.

Every boot goes through scripts/run-qemu.sh, the one place that knows the QEMU command line.
Waits are for conditions (a serial line, a process exit) with a deadline, never fixed sleeps.
"""

import os
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build_dir():
    return Path(os.environ.get("MU_BUILD", ROOT / "build")).resolve()


def work_dir(suite):
    """A fresh directory under the build tree for one suite's images and serial logs."""
    path = build_dir() / "tests" / "system" / suite
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def default_inputs():
    b = build_dir()
    return {
        "efi": b / "bootloader" / "BOOTX64.EFI",
        "kernel": b / "kernel" / "kernel.elf",
        "initrd": b / "initrd.cpio",
    }


def make_disk(out_dir, name, cfg_text, kernel=None, initrd=None, efi=None):
    """Builds a GPT disk image like build/disk.img, with its own muboot.cfg and optional
    replacement files. Returns the image path."""
    inputs = default_inputs()
    cfg = out_dir / f"{name}.cfg"
    cfg.write_text(cfg_text)
    disk = out_dir / f"{name}.disk.img"
    subprocess.run(
        [str(ROOT / "scripts" / "mkimage.sh"),
         "--out-disk", str(disk),
         "--efi", str(efi or inputs["efi"]),
         "--kernel", str(kernel or inputs["kernel"]),
         "--initrd", str(initrd or inputs["initrd"]),
         "--cfg", str(cfg)],
        check=True, stdout=subprocess.DEVNULL)
    return disk


class Boot:
    """One QEMU run. Serial output is collected line by line and kept in <name>.serial.log.

    Besides whole lines, the raw output stream is kept (`stream_text`, positions into it from
    `position()`), so a test can wait for text that no newline ends yet, such as a prompt.
    With `serial_input=True` the serial port's input is a pipe that `send()` writes to."""

    def __init__(self, out_dir, name, disk, memory_mib=256, icount=False, extra=(),
                 serial_input=False):
        self.name = name
        self.log_path = out_dir / f"{name}.serial.log"
        self.monitor_path = out_dir / f"{name}.monitor.sock"
        vars_path = out_dir / f"{name}.vars.fd"
        cmd = [str(ROOT / "scripts" / "run-qemu.sh"), "--disk", str(disk), "--headless",
               "--test", "--memory", str(memory_mib), "--vars", str(vars_path),
               "--monitor", str(self.monitor_path)]
        if icount:
            cmd.append("--icount")
        if extra:
            cmd += ["--", *extra]
        self.started = time.monotonic()
        self.lines = []
        self._stream = []        # decoded output chunks, "\r" removed
        self._stream_len = 0
        self._chunk_times = []   # (end position in the stream, seconds after start)
        self._cond = threading.Condition()
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE if serial_input else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        import codecs
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        pending = ""
        fd = self.proc.stdout.fileno()
        while True:
            raw = os.read(fd, 4096)
            text = decoder.decode(raw, final=not raw).replace("\r", "")
            stamp = time.monotonic() - self.started
            with self._cond:
                if text:
                    self._stream.append(text)
                    self._stream_len += len(text)
                    self._chunk_times.append((self._stream_len, stamp))
                pending += text
                *complete, pending = pending.split("\n")
                if not raw and pending:
                    complete.append(pending)
                for line in complete:
                    # The firmware mirrors its console with ANSI escapes; tests match clean text.
                    line = re.sub(r"\x1b\[[0-9;?=]*[A-Za-z]", "", line)
                    self.lines.append((stamp, line))
                    self._log.write(f"{line}\n")
                self._log.flush()
                self._cond.notify_all()
            if not raw:
                return

    def wait_for(self, pattern, timeout=120):
        """Returns the first match of `pattern` in a serial line, waiting up to `timeout` s."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        index = 0
        with self._cond:
            while True:
                while index < len(self.lines):
                    match = regex.search(self.lines[index][1])
                    index += 1
                    if match:
                        return match
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    tail = "\n".join(l for _, l in self.lines[-15:])
                    raise AssertionError(
                        f"{self.name}: no serial line matched {pattern!r} "
                        f"(log {self.log_path}); last lines:\n{tail}")
                self._cond.wait(min(remaining, 1.0))

    def time_of(self, pattern):
        """Seconds after QEMU start at which a line matching `pattern` arrived."""
        regex = re.compile(pattern)
        with self._cond:
            for stamp, line in self.lines:
                if regex.search(line):
                    return stamp
        return None

    # ---- The raw output stream and serial input ----

    def stream_text(self, start=0):
        """Everything QEMU printed from stream position `start` on (partial lines included)."""
        with self._cond:
            if len(self._stream) > 1:
                self._stream = ["".join(self._stream)]
            return self._stream[0][start:] if self._stream else ""

    def position(self):
        """The current end of the output stream, for `wait_text(..., start=)`."""
        with self._cond:
            return self._stream_len

    def wait_text(self, pattern, start=0, timeout=120):
        """Waits until `pattern` (a regex, MULTILINE) matches the stream from position `start`;
        returns the match, with match.start()/end() as absolute stream positions."""
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                text = self.stream_text(start)
                match = regex.search(text)
                if match:
                    return _StreamMatch(match, start)
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(
                        f"{self.name}: output never matched {pattern!r} after position {start} "
                        f"(log {self.log_path}); output since then:\n{text[-1500:]}")
                self._cond.wait(min(remaining, 1.0))

    def time_at(self, position):
        """Seconds after QEMU start at which the stream reached `position` (a chunk's arrival)."""
        with self._cond:
            for end, stamp in self._chunk_times:
                if end >= position:
                    return stamp
        return None

    def send(self, text):
        """Types `text` on the serial port (needs serial_input=True)."""
        if self.proc.stdin is None:
            raise AssertionError(f"{self.name}: started without serial_input=True")
        self.proc.stdin.write(text.encode("utf-8") if isinstance(text, str) else text)
        self.proc.stdin.flush()

    def text(self):
        with self._cond:
            return "\n".join(line for _, line in self.lines)

    def wait_exit(self, timeout=120):
        """Waits for QEMU to exit by itself and returns its exit status."""
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name}: QEMU still running after {timeout} s "
                                 f"(log {self.log_path})")
        self._reader.join(5)
        return status

    def monitor(self, command, timeout=30):
        """Runs one QEMU monitor command and returns its output."""
        deadline = time.monotonic() + timeout
        while not self.monitor_path.exists():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: monitor socket never appeared")
            time.sleep(0.05)
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(timeout)
            sock.connect(str(self.monitor_path))
            reply = self._read_until_prompt(sock)
            sock.sendall(command.encode() + b"\n")
            reply = self._read_until_prompt(sock)
        return reply

    @staticmethod
    def _read_until_prompt(sock):
        data = b""
        while not data.endswith(b"(qemu) "):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.decode("utf-8", "replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        self._reader.join(5)
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass  # QEMU is gone: the pipe is broken
        self.proc.stdout.close()
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False


class _StreamMatch:
    """A regex match on part of the stream, with positions relative to the whole stream."""

    def __init__(self, match, offset):
        self.match = match
        self.offset = offset

    def group(self, *args):
        return self.match.group(*args)

    def groups(self):
        return self.match.groups()

    def start(self, group=0):
        return self.offset + self.match.start(group)

    def end(self, group=0):
        return self.offset + self.match.end(group)


def read_ppm(path):
    """Parses a binary PPM (P6) as QEMU's screendump writes it: (width, height, rgb bytes)."""
    data = Path(path).read_bytes()
    fields = []
    pos = 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise AssertionError(f"{path}: not an 8-bit P6 PPM")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1:pos + 1 + width * height * 3]
    if len(pixels) != width * height * 3:
        raise AssertionError(f"{path}: truncated PPM")
    return width, height, pixels


def write_png(path, width, height, rgb):
    """Writes 8-bit RGB pixels as a PNG (so people can look at screendumps)."""
    import struct
    import zlib

    def chunk(kind, body):
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    stride = width * 3
    raw = b"".join(b"\x00" + rgb[y * stride:(y + 1) * stride] for y in range(height))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 6))
           + chunk(b"IEND", b""))
    Path(path).write_bytes(png)


def parse_fields(line):
    """'key=value key2="quoted value"' -> dict."""
    return {m.group(1): (m.group(2) if m.group(2) is not None else m.group(3))
            for m in re.finditer(r'(\w+)=(?:"([^"]*)"|(\S+))', line)}
