#!/usr/bin/env python3
"""Writes a bigWig from a bedGraph (plain or gzip, e.g. mosdepth's
per-base.bed.gz) with pyBigWig, as UCSC's bedGraphToBigWig would.
Usage: bedgraph_to_bigwig.py <in.bedgraph[.gz]> <chrom.sizes> <out.bw>"""
import gzip
import sys

import pyBigWig

source, sizes_path, out = sys.argv[1:4]
sizes = [(f[0], int(f[1])) for f in (line.split('\t') for line in open(sizes_path).read().splitlines() if line)]
bw = pyBigWig.open(out, 'w')
bw.addHeader(sizes, maxZooms=10)
opener = gzip.open if source.endswith('.gz') else open
chroms, starts, ends, values = [], [], [], []
with opener(source, 'rt') as f:
    for line in f:
        c, s, e, v = line.rstrip('\n').split('\t')[:4]
        chroms.append(c)
        starts.append(int(s))
        ends.append(int(e))
        values.append(float(v))
        if len(chroms) >= 100000:
            bw.addEntries(chroms, starts, ends=ends, values=values)
            chroms, starts, ends, values = [], [], [], []
if chroms:
    bw.addEntries(chroms, starts, ends=ends, values=values)
bw.close()
