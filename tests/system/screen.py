"""Finding text on a QEMU screendump pixel-exactly, with the glyphs of the console's own font.

The console draws each character as one font cell (no scaling, cells `width` pixels apart).
`find_text` looks for a string's cells anywhere on the screen: every foreground pixel of every
glyph must have one colour, and every background pixel another single colour. No OCR, no
tolerance: a match means those exact glyphs were drawn there."""

import gzip
from pathlib import Path

import harness


class PsfFont:
    """A PSF1 or PSF2 font: glyph bitmaps and the code point -> glyph map (as
    kernel/console/psf.cc builds it: the first mapping of a code point wins)."""

    def __init__(self, data):
        self.map = {}
        if data[:2] == b"\x36\x04":
            mode, self.height = data[2], data[3]
            self.width, self.count, self.glyph_size, header = 8, 512 if mode & 1 else 256, data[3], 4
            has_table = mode & 0x06
            table = data[header + self.count * self.glyph_size:]
            if has_table:
                self._map_psf1(table)
        elif data[:4] == b"\x72\xb5\x4a\x86":
            fields = [int.from_bytes(data[i:i + 4], "little") for i in range(0, 32, 4)]
            _, _, header, flags, self.count, self.glyph_size, self.height, self.width = fields
            has_table = flags & 1
            table = data[header + self.count * self.glyph_size:]
            if has_table:
                self._map_psf2(table)
        else:
            raise AssertionError("not a PSF1/PSF2 font")
        self.glyphs = data[header:header + self.count * self.glyph_size]
        if not has_table:
            self.map = {c: c for c in range(min(256, self.count))}

    def _add(self, codepoint, glyph):
        self.map.setdefault(codepoint, glyph)

    def _map_psf1(self, table):
        glyph, in_sequence = 0, False
        for i in range(0, len(table) - 1, 2):
            value = table[i] | table[i + 1] << 8
            if value == 0xFFFF:
                glyph, in_sequence = glyph + 1, False
            elif value == 0xFFFE:
                in_sequence = True
            elif not in_sequence:
                self._add(value, glyph)

    def _map_psf2(self, table):
        glyph, in_sequence, pos = 0, False, 0
        while pos < len(table) and glyph < self.count:
            lead = table[pos]
            if lead == 0xFF:
                glyph, in_sequence, pos = glyph + 1, False, pos + 1
                continue
            if lead == 0xFE:
                in_sequence, pos = True, pos + 1
                continue
            length = 4 if lead >= 0xF0 else 3 if lead >= 0xE0 else 2 if lead >= 0xC0 else 1
            try:
                char = table[pos:pos + length].decode("utf-8")
            except UnicodeDecodeError:
                pos += 1
                continue
            pos += length
            if not in_sequence:
                self._add(ord(char), glyph)

    def bitmap(self, char):
        """Rows of booleans (True = foreground) for `char`."""
        glyph = self.map.get(ord(char))
        if glyph is None:
            raise AssertionError(f"font has no glyph for {char!r}")
        stride = (self.width + 7) // 8
        data = self.glyphs[glyph * self.glyph_size:(glyph + 1) * self.glyph_size]
        return [[bool(data[y * stride + x // 8] & (0x80 >> (x % 8))) for x in range(self.width)]
                for y in range(self.height)]


def console_font():
    """The font the kernel and the console draw with: the build's decompressed copy
    (common/CMakeLists.txt MU_CONSOLE_FONT_FILE), else the gzip source it comes from."""
    build = harness.build_dir()
    for path in [build / "font" / "console_font.psf", build / "kernel" / "kernel_font.psf"]:
        if path.is_file():
            return PsfFont(path.read_bytes()), path
    source = Path("/usr/share/consolefonts/Lat15-Terminus16.psf.gz")
    return PsfFont(gzip.decompress(source.read_bytes())), source


class Screen:
    def __init__(self, width, height, rgb):
        self.width, self.height = width, height
        self.pixels = [r << 16 | g << 8 | b for r, g, b in zip(rgb[0::3], rgb[1::3], rgb[2::3])]

    @classmethod
    def from_ppm(cls, path):
        return cls(*harness.read_ppm(path))

    def find_text(self, font, text):
        """All (x, y) where `text` is drawn in one foreground on one background colour."""
        width = self.width
        fg, bg = [], []
        for i, char in enumerate(text):
            for y, row in enumerate(font.bitmap(char)):
                for x, on in enumerate(row):
                    (fg if on else bg).append(y * width + i * font.width + x)
        if not fg or not bg:
            raise AssertionError(f"{text!r} has no foreground or no background pixels")
        px = self.pixels
        f0, f1, b0 = fg[0], fg[-1], bg[0]
        found = []
        for y in range(self.height - font.height + 1):
            row = y * width
            for x in range(width - len(text) * font.width + 1):
                base = row + x
                colour = px[base + f0]
                if px[base + f1] != colour or px[base + b0] == colour:
                    continue
                back = px[base + b0]
                if all(px[base + o] == colour for o in fg) and all(px[base + o] == back for o in bg):
                    found.append((x, y))
        return found
