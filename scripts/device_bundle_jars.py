#!/usr/bin/env python3
"""Copies jars into the GPU bundle re-stored without compression, dropping the native libraries of other platforms.

Why stored: the bundle is one xz stream, which compresses the native libraries inside the jars (323 MB of
libnd4jcpu.so alone) far better across the whole archive than each jar's own deflate does, and the JVM reads stored
entries as well as deflated ones. Why drop: a GPU run on linux-x86_64 never loads the Windows, macOS or aarch64
libraries that DJL's tokenizers jar carries (40 of its 54 MB).

usage: device_bundle_jars.py OUT_DIR JAR...
"""
import os
import sys
import zipfile

FOREIGN = ("linux-aarch64", "osx-", "win-", "macosx", "windows", "linux-arm", "linux-ppc", "android")


def keep(name):
    return not ("native/" in name or "/native/" in name or name.endswith((".so", ".dll", ".dylib"))) \
        or not any(tag in name for tag in FOREIGN)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        target = os.path.join(out, os.path.basename(path))
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as dst:
            for info in src.infolist():
                if keep(info.filename):
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.external_attr = info.external_attr
                    dst.writestr(copy, src.read(info), compress_type=zipfile.ZIP_STORED)


if __name__ == "__main__":
    main()
