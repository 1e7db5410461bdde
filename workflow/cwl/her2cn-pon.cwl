#!/usr/bin/env cwl-runner
cwlVersion: v1.2
class: CommandLineTool
label: her2cn pon
doc: |
  Builds a her2cn panel of normals (PoN) from normal BAMs of the same assay
  (at least 3, 10 or more recommended). her2cn must be on PATH.

hints:
  SoftwareRequirement:
    packages:
      her2cn: {}
  ResourceRequirement:
    coresMin: 1
    ramMin: 1000

baseCommand: [her2cn, pon]
arguments:
  # her2cn reads the BAMs with the cores the runner grants the step.
  - valueFrom: --threads=$(runtime.cores)

inputs:
  normals:
    type: File[]
    doc: Normal BAMs, each coordinate-sorted with its index <bam>.bai or <bam>.csi beside it.
    secondaryFiles:
      - pattern: .bai
        required: false
      - pattern: .csi
        required: false
    inputBinding:
      position: 1
  panel:
    type: File?
    doc: Capture panel BED; without it, her2cn's embedded GRCh38 demo panel.
    inputBinding:
      prefix: --panel=
      separate: false
  fasta:
    type: File?
    doc: Indexed reference FASTA for probe GC (.fai; a bgzip FASTA also needs .gzi).
    secondaryFiles:
      - .fai
      - pattern: .gzi
        required: false
    inputBinding:
      prefix: --fasta=
      separate: false
  min_mapq:
    type: int?
    doc: Skip reads with mapping quality below this (her2cn's default 20).
    inputBinding:
      prefix: --min-mapq=
      separate: false
  output_name:
    type: string
    default: pon.json.gz
    doc: File name of the PoN; gzip-compressed when it ends in .gz.
    inputBinding:
      prefix: --out=
      separate: false

stdout: pon.log.txt

outputs:
  pon:
    type: File
    outputBinding:
      glob: $(inputs.output_name)
  log:
    type: stdout
