#!/usr/bin/env python3
"""Reads QR codes with an independent decoder (zxing-cpp) and prints what it found as JSON lines.

    qr_decode.py pbm FILE...   -> each PBM (a matrix the Swift encoder drew, quiet zone included)
                                  is scaled 4x into a PNG by Pillow, the PNG read back and decoded;
                                  one line per file: {"file", "bytes" (hex), "ec_level"} or {"file", "error"}
    qr_decode.py image FILE    -> every QR code zxing-cpp finds in a picture (a screenshot);
                                  one line: {"texts": [...]}
"""
import json, os, sys

import zxingcpp
from PIL import Image


def decode_pbm(path):
    png = os.path.splitext(path)[0] + ".png"
    with Image.open(path) as matrix:
        scaled = matrix.convert("L").resize((matrix.width * 4, matrix.height * 4), Image.NEAREST)
        scaled.save(png, format="PNG")
    with Image.open(png) as picture:
        found = [b for b in zxingcpp.read_barcodes(picture, formats=zxingcpp.BarcodeFormat.QRCode) if b.valid]
    if len(found) != 1:
        return {"file": path, "error": f"{len(found)} QR codes found"}
    return {"file": path, "bytes": found[0].bytes.hex(), "ec_level": found[0].ec_level}


def main():
    kind, files = sys.argv[1], sys.argv[2:]
    if kind == "pbm":
        for path in files:
            print(json.dumps(decode_pbm(path)), flush=True)
    elif kind == "image":
        with Image.open(files[0]) as picture:
            found = zxingcpp.read_barcodes(picture.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
        print(json.dumps({"texts": [b.text for b in found if b.valid]}, ensure_ascii=False), flush=True)
    else:
        sys.exit("usage: qr_decode.py pbm FILE... | image FILE")


if __name__ == "__main__":
    main()
