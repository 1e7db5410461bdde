#!/usr/bin/env bash
# Installs the Debian tools the test suite checks her2cn against: samtools,
# mosdepth with libhts-dev (which provides the libhts.so mosdepth loads),
# bcftools (which must accept the VCF her2cn writes), Chromium (which
# renders the report in the browser tests), the workflow engines the
# cohort workflow in workflow/ is run and checked with (Snakemake and
# cwltool), tabix (bgzip and tabix, to make mosdepth-style regions files),
# python3-pybigwig (to write bigWig test tracks; used through Debian's
# /usr/bin/python3) and MultiQC (which must show her2cn_mqc.json in its
# General Statistics).
set -euo pipefail
if command -v samtools >/dev/null && command -v bcftools >/dev/null && command -v chromium >/dev/null && command -v snakemake >/dev/null && command -v cwltool >/dev/null && mosdepth --version >/dev/null 2>&1 \
  && command -v bgzip >/dev/null && command -v tabix >/dev/null && /usr/bin/python3 -c 'import pyBigWig' >/dev/null 2>&1 && command -v multiqc >/dev/null; then
  exit 0
fi
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends samtools bcftools mosdepth libhts-dev chromium snakemake cwltool tabix python3-pybigwig multiqc >/dev/null
samtools --version | head -n 1
mosdepth --version
bcftools --version | head -n 1
chromium --version
echo "snakemake $(snakemake --version)"
cwltool --version
tabix --version | head -n 1
/usr/bin/python3 -c 'import pyBigWig; print("pyBigWig", pyBigWig.__version__ if hasattr(pyBigWig, "__version__") else "installed")'
multiqc --version
