#!/bin/bash
# Tiny stand-in for a cmake build: writes the files a real zlib would install.
set -euo pipefail
mkdir -p "$PREFIX/include" "$PREFIX/lib/pkgconfig"
echo "/* zlib ${SPK_PKG_VERSION:-} */" > "$PREFIX/include/zlib.h"
echo "Name: zlib" > "$PREFIX/lib/pkgconfig/zlib.pc"
