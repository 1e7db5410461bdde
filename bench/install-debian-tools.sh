#!/usr/bin/env bash
# Installs what the benchmark times her2cn against, from Debian's packages:
# mosdepth (with libhts-dev, which provides the libhts.so it loads), samtools,
# CNVkit, hyperfine (repeated timed runs) and GNU time (peak memory).
set -euo pipefail
if command -v hyperfine >/dev/null && command -v samtools >/dev/null && command -v cnvkit >/dev/null && [ -x /usr/bin/time ] && mosdepth --version >/dev/null 2>&1; then
  exit 0
fi
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends hyperfine mosdepth libhts-dev samtools cnvkit time >/dev/null
