#!/usr/bin/env cwl-runner
cwlVersion: v1.2
class: CommandLineTool
label: her2cn call
doc: |
  Calls ERBB2 amplification in one tumour BAM against a panel of normals and
  writes her2cn's six result files. her2cn must be on PATH.

# The BAM and the PoN are linked into the job's folder and given by file name,
# so the results and the report name them (T01.bam) rather than a runner's
# temporary path.
requirements:
  InitialWorkDirRequirement:
    listing:
      - $(inputs.bam)
      - $(inputs.pon)

hints:
  SoftwareRequirement:
    packages:
      her2cn: {}
  ResourceRequirement:
    coresMin: 1
    ramMin: 1000

baseCommand: [her2cn, call]
arguments:
  - --out=.
  # her2cn reads the BAM with the cores the runner grants the step.
  - valueFrom: --threads=$(runtime.cores)

inputs:
  bam:
    type: File
    doc: Tumour BAM, coordinate-sorted with its index <bam>.bai or <bam>.csi beside it.
    secondaryFiles:
      - pattern: .bai
        required: false
      - pattern: .csi
        required: false
    inputBinding:
      position: 1
      valueFrom: $(self.basename)
  pon:
    type: File
    doc: Panel of normals written by her2cn pon.
    inputBinding:
      prefix: --pon=
      separate: false
      valueFrom: $(self.basename)
  sample:
    type: string?
    doc: Sample name; without it, the BAM's read-group SM, else the file name.
    inputBinding:
      prefix: --sample=
      separate: false
  purity:
    type: float?
    doc: Tumour purity, 0 < p <= 1.
    inputBinding:
      prefix: --purity=
      separate: false
  ihc:
    type:
      - "null"
      - type: enum
        symbols: ["0", "0 (null)", "0 (ultralow)", "1+", "1-2+ focal", "2+", "2-3+ focal", "3+"]
    doc: IHC score, in the canonical form her2cn writes it (call --ihc also reads other spellings).
    inputBinding:
      prefix: --ihc=
      separate: false
  specimen:
    type: string?
    doc: Specimen identifier, as the report shows it.
    inputBinding:
      prefix: --specimen=
      separate: false
  accession:
    type: string?
    doc: Laboratory accession number.
    inputBinding:
      prefix: --accession=
      separate: false
  block:
    type: string?
    doc: Tissue block.
    inputBinding:
      prefix: --block=
      separate: false
  tumour_content:
    type: string?
    doc: The pathologist's tumour content estimate, as written (e.g. 60%); for the record only.
    inputBinding:
      prefix: --tumour-content=
      separate: false
  collected:
    type: string?
    doc: Collection date, YYYY-MM-DD.
    inputBinding:
      prefix: --collected=
      separate: false
  panel:
    type: File?
    doc: Capture panel BED; must be the PoN's panel. Without it, the PoN's probes.
    inputBinding:
      prefix: --panel=
      separate: false
  fasta:
    type: File?
    doc: Indexed reference FASTA for probe GC.
    secondaryFiles:
      - .fai
      - pattern: .gzi
        required: false
    inputBinding:
      prefix: --fasta=
      separate: false
  threshold:
    type: float?
    doc: log2 ratio at or above which ERBB2 is amplified (her2cn's default 1.3).
    inputBinding:
      prefix: --threshold=
      separate: false

stdout: call.summary.txt

# Each call runs in a folder of its own, so its six files are found by suffix.
outputs:
  result_json:
    type: File
    outputBinding:
      glob: "*.her2cn.json"
  vcf:
    type: File
    outputBinding:
      glob: "*.her2cn.vcf"
  probes:
    type: File
    outputBinding:
      glob: "*.probes.tsv"
  plot_svg:
    type: File
    outputBinding:
      glob: "*.plot.svg"
  plot_png:
    type: File
    outputBinding:
      glob: "*.plot.png"
  report:
    type: File
    outputBinding:
      glob: "*.report.html"
  summary:
    type: stdout
