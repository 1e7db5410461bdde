#!/usr/bin/env cwl-runner
cwlVersion: v1.2
class: Workflow
label: her2cn on a cohort
doc: |
  Builds the panel of normals from the normals, calls ERBB2 in every tumour
  (scattered: one job per tumour), and, when a truth table is given, runs
  her2cn validate on the calls. her2cn must be on PATH.

requirements:
  ScatterFeatureRequirement: {}
  StepInputExpressionRequirement: {}
  InlineJavascriptRequirement: {}
  SchemaDefRequirement:
    types:
      - name: Tumour
        type: record
        fields:
          sample:
            type: string
            doc: Sample name (results are named by it).
          bam:
            type: File
            doc: Tumour BAM with its index <bam>.bai or <bam>.csi beside it.
            secondaryFiles:
              - pattern: .bai
                required: false
              - pattern: .csi
                required: false
          purity:
            type: float?
            doc: Tumour purity, 0 < p <= 1.
          ihc:
            type:
              - "null"
              - type: enum
                symbols: ["0", "0 (null)", "0 (ultralow)", "1+", "1-2+ focal", "2+", "2-3+ focal", "3+"]
            doc: IHC score, in the canonical form her2cn writes it (the workflow's table reader gives that form).
          specimen:
            type: string?
            doc: Specimen identifier, as the report shows it.
          accession:
            type: string?
            doc: Laboratory accession number.
          block:
            type: string?
            doc: Tissue block.
          tumour_content:
            type: string?
            doc: The pathologist's tumour content estimate, as written; for the record only.
          collected:
            type: string?
            doc: Collection date, YYYY-MM-DD.

inputs:
  normals:
    type: File[]
    secondaryFiles:
      - pattern: .bai
        required: false
      - pattern: .csi
        required: false
    doc: Normal BAMs for the panel of normals.
  tumours:
    type: Tumour[]
    doc: The tumours, each with its sample name and optional purity, IHC score and specimen fields.
  panel:
    type: File?
    doc: Capture panel BED; without it, her2cn's embedded GRCh38 demo panel.
  fasta:
    type: File?
    secondaryFiles:
      - .fai
      - pattern: .gzi
        required: false
    doc: Indexed reference FASTA for probe GC.
  threshold:
    type: float?
    doc: log2 ratio at or above which ERBB2 is amplified (her2cn's default 1.3).
  truth:
    type: File?
    doc: Truth table for her2cn validate; without it, no validation.
  reference:
    type:
      type: enum
      symbols: [fish, ihc]
    default: fish
    doc: Reference standard for validation.

steps:
  build_pon:
    run: her2cn-pon.cwl
    in:
      normals: normals
      panel: panel
      fasta: fasta
    out: [pon]

  call:
    run: her2cn-call.cwl
    scatter: tumour
    in:
      tumour: tumours
      bam:
        valueFrom: $(inputs.tumour.bam)
      sample:
        valueFrom: $(inputs.tumour.sample)
      purity:
        valueFrom: $(inputs.tumour.purity)
      ihc:
        valueFrom: $(inputs.tumour.ihc)
      specimen:
        valueFrom: $(inputs.tumour.specimen)
      accession:
        valueFrom: $(inputs.tumour.accession)
      block:
        valueFrom: $(inputs.tumour.block)
      tumour_content:
        valueFrom: $(inputs.tumour.tumour_content)
      collected:
        valueFrom: $(inputs.tumour.collected)
      pon: build_pon/pon
      panel: panel
      fasta: fasta
      threshold: threshold
    out: [result_json, vcf, probes, plot_svg, plot_png, report]

  validate:
    run: her2cn-validate.cwl
    when: $(inputs.truth !== null)
    in:
      results: call/result_json
      truth: truth
      reference: reference
    out: [validation_json, validation_md, validation_html, roc_svg]

outputs:
  pon:
    type: File
    outputSource: build_pon/pon
  results:
    type: File[]
    outputSource: call/result_json
  vcfs:
    type: File[]
    outputSource: call/vcf
  probe_tables:
    type: File[]
    outputSource: call/probes
  plots_svg:
    type: File[]
    outputSource: call/plot_svg
  plots_png:
    type: File[]
    outputSource: call/plot_png
  reports:
    type: File[]
    outputSource: call/report
  validation_json:
    type: File?
    outputSource: validate/validation_json
  validation_md:
    type: File?
    outputSource: validate/validation_md
  validation_html:
    type: File?
    outputSource: validate/validation_html
  validation_roc_svg:
    type: File?
    outputSource: validate/roc_svg
