"""Logo images for the PDF tests: real files written by Chromium's encoders (Playwright element
screenshots of a half-transparent gradient with rounded corners), and an independent PNG
decoder (zlib plus the PNG row filters, ISO/IEC 15948 9.2) to check what a PDF carries."""
import base64
import struct
import subprocess
import zlib

# 24 x 16 RGBA PNG (colour type 6, 8 bits), with real alpha.
ALPHA_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAYAAAAMJL+VAAACB0lEQVR4nLRUPYsUQRCtqu7Z7V5WT07F4FjZwERYEBNRFLwf"
    "YGxqbqhm909E8B8IBpoeKIcYismBH4hGZ+CBx43uTneXVd2zs5sY3LE7A1NT1c179erRbWHp2Zk8Gv0mM67Nua2a+5tT4/0U"
    "rWuo72fcc4mMn0LlWGJg4yJaH4FyPSU8krgfAHa/7t19McdE/Twfb7ufw9HkEM6OjumMq3Hg/9qh+wN9Iei5BiofTM/NwAhg"
    "JbkAkhDkXCNKbh0D+SSEEeA9mf7jL29u/CAloIG/ig1fMGAKLRlIMbU9SJRdKSUNmgGR9MVdf4AkK5wLUmZAxO0Ym2cZ6vWV"
    "6xdnM95Q7Cgv6E+SaBROBpDRFZQKuJIkzticWVALEjDDY1lQkluXb797QDGE89ZmLCgKYlYAWYEo6RTAkgIoIFBAoVOAhRRL"
    "ioT3qbI4CKE0nsH1KwooK4DScyoYCwXz6bRjkQIiLmzlIoiZr4kCqKxKyNjFA3MKD7j1ADoFOi64RDqdoBJW70FeJZ3O2jzQ"
    "vUUBLCmArOCkHkDrAS57oPuFqZl7sKpzsPAADwiR63V5ICwfqElwsMZz8JTuff94GBh+rfocSOHVt7c3X2aUNKw+Q+K0snMA"
    "eBwiP1nsaJ+dyUO5rjfGNfituhpuTsH6Br2b/uc2DRrBOiHV2/RIWthnMLuf9u501/U/AAAA//+i49HgAAAABklEQVQDAK/O"
    "VIOSPZO9AAAAAElFTkSuQmCC")
# The same element as a baseline JPEG (quality 80, 3 components).
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAA"
    "AABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAA"
    "ABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAA"
    "AAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAA"
    "AAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAA"
    "AABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYF"
    "BAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMK"
    "ChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABgDASIAAhEB"
    "AxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwAG/8QAIxAAAQMEAQQDAAAAAAAAAAAAAgEDBAAFBhEhEiJCkTFBcf/EABUBAQEA"
    "AAAAAAAAAAAAAAAAAAUC/8QAIxEAAQICCwAAAAAAAAAAAAAAAAQRASECBRITFBUxMkFR8P/aAAwDAQACEQMRAD8AYcplOyXD"
    "JwyUd9o74RKM775Ul5TFdjOOCYEg74LXCpRpffKmKu4KUM0jNWnKbhi16YmwZDgtA4ivM9S9Dob5FU/PVVVpxe4ZTfI0KFHd"
    "JpxxEdfQFUGg+yJfhOPa6Sqm1OXvDE7vdBtG+nY0P//Z")


def png_alpha(data):
    """The alpha samples of an 8-bit RGBA PNG, row by row."""
    width, height = struct.unpack(">II", data[16:24])
    assert data[24:26] == bytes([8, 6])
    chunks, at = b"", 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            chunks += data[at + 8:at + 8 + length]
        at += 12 + length
    raw, stride, bpp = zlib.decompress(chunks), width * 4, 4
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = previous[i]
            c = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        previous = line
    return bytes(v for line in rows for v in line[3::4])


def images_on_first_page(pdf, tmp_path):
    """`pdfimages -list` rows of page 1, and the files `pdfimages -j` extracts from it (JPEG as
    is, other images as PPM, soft masks as PGM)."""
    listing = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    prefix = tmp_path / "img"
    subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-j", str(pdf), str(prefix)], check=True)
    return rows, sorted(tmp_path.glob("img-*"))


def gray_samples(path):
    """The grey samples of a binary PGM (P5) file, or of a PPM (P6) whose pixels are grey
    (poppler writes a soft mask as either)."""
    data = path.read_bytes()
    fields, at = [], 0
    while len(fields) < 4:
        while data[at:at + 1].isspace():
            at += 1
        end = at
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[at:end])
        at = end
    pixels = data[at + 1:]
    if fields[0] == b"P5":
        return pixels
    assert fields[0] == b"P6" and pixels[0::3] == pixels[1::3] == pixels[2::3]
    return pixels[0::3]
