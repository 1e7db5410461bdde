#!/usr/bin/env python3
"""Writes the CWL job (inputs) of workflow/cwl/her2cn-cohort.cwl from the
tables the Snakemake workflow reads: normals (a table with a 'bam' column),
tumours (sample, bam, optional purity, ihc and the specimen's columns) and an
optional truth table.

    python3 workflow/scripts/cwl_job.py --normals normals.tsv --tumours tumours.tsv [--truth truth.tsv] > job.json

The job is JSON (which CWL runners read as YAML) with absolute paths.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from her2cn_cohort import CohortError, read_normals, read_tumours  # noqa: E402


def file(path):
    return {"class": "File", "path": os.path.abspath(path)}


def cwl_job(normals, tumours, truth=None, panel=None, fasta=None, reference=None):
    job = {
        "normals": [file(b) for b in read_normals(normals)],
        "tumours": [],
    }
    for t in read_tumours(tumours):
        tumour = {"sample": t["sample"], "bam": file(t["bam"])}
        if t["purity"] is not None:
            tumour["purity"] = float(t["purity"])
        if t["ihc"] is not None:
            tumour["ihc"] = t["ihc"]
        # The specimen's columns (specimen, accession, block, tumour_content, collected), as given.
        tumour.update(t.get("specimen", {}))
        job["tumours"].append(tumour)
    for key, path in (("truth", truth), ("panel", panel), ("fasta", fasta)):
        if path:
            job[key] = file(path)
    if reference:
        job["reference"] = reference
    return job


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--normals", required=True, help="table of normal BAMs (a 'bam' column)")
    parser.add_argument("--tumours", required=True, help="samples table: sample, bam, purity, ihc, specimen columns")
    parser.add_argument("--truth", help="truth table for her2cn validate")
    parser.add_argument("--panel", help="capture panel BED")
    parser.add_argument("--fasta", help="indexed reference FASTA")
    parser.add_argument("--reference", choices=["fish", "ihc"], help="reference standard for validation")
    args = parser.parse_args()
    try:
        job = cwl_job(args.normals, args.tumours, args.truth, args.panel, args.fasta, args.reference)
    except CohortError as e:
        print(f"cwl_job.py: error: {e}", file=sys.stderr)
        return 1
    json.dump(job, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
