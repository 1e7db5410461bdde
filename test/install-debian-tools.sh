#!/usr/bin/env bash
# Installs the Debian tools the test suite checks her2cn against: samtools,
# and mosdepth with libhts-dev (which provides the libhts.so mosdepth loads).
set -euo pipefail
if command -v samtools >/dev/null && mosdepth --version >/dev/null 2>&1; then
  exit 0
fi
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends samtools mosdepth libhts-dev >/dev/null
samtools --version | head -n 1
mosdepth --version
