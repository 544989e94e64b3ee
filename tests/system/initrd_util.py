"""Copies of the built initrd with files replaced or added (cpio "newc", as initrd/README.md
describes), so a system test can boot init with its own /etc/services."""

from pathlib import Path

import harness

TRAILER = "TRAILER!!!"


def _align4(n):
    return (n + 3) & ~3


def read_entries(data):
    """[(name, mode, bytes)] of a newc archive, in order, without the trailer."""
    entries, pos = [], 0
    while True:
        header = data[pos:pos + 110]
        if header[:6] not in (b"070701", b"070702"):
            raise ValueError(f"bad cpio magic at {pos}")
        fields = [int(header[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        mode, filesize, namesize = fields[1], fields[6], fields[11]
        name_start = pos + 110
        name = data[name_start:name_start + namesize - 1].decode()
        data_start = _align4(name_start + namesize)
        body = data[data_start:data_start + filesize]
        pos = _align4(data_start + filesize)
        if name == TRAILER:
            return entries
        entries.append((name, mode, body))


def write_entries(entries):
    out = bytearray()
    for ino, (name, mode, body) in enumerate(entries + [(TRAILER, 0, b"")], start=1):
        encoded = name.encode() + b"\0"
        fields = [ino if name != TRAILER else 0, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0,
                  len(encoded), 0]
        out += b"070701" + b"".join(b"%08X" % f for f in fields) + encoded
        out += b"\0" * (_align4(len(out)) - len(out))
        out += body
        out += b"\0" * (_align4(len(out)) - len(out))
    return bytes(out)


def with_files(out_dir, name, files):
    """Writes <out_dir>/<name>.cpio: the built initrd with `files` ({"etc/services": text or
    bytes}) replacing or adding entries. Returns its path."""
    src = harness.default_inputs()["initrd"].read_bytes()
    entries = read_entries(src)
    for path, content in files.items():
        body = content.encode() if isinstance(content, str) else content
        path = path.lstrip("/")
        for i, (n, mode, _) in enumerate(entries):
            if n == path:
                entries[i] = (n, mode, body)
                break
        else:
            entries.append((path, 0o100644, body))
    target = Path(out_dir) / f"{name}.cpio"
    target.write_bytes(write_entries(entries))
    return target


def no_services(out_dir):
    """The built initrd with an empty /etc/services: init starts nothing and, having nothing to
    supervise, powers off (or in test mode exits QEMU). For suites about the kernel alone."""
    return with_files(out_dir, "noservices", {"etc/services": ""})
