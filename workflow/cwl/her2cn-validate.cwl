#!/usr/bin/env cwl-runner
cwlVersion: v1.2
class: CommandLineTool
label: her2cn validate
doc: |
  Concordance of her2cn call results with a FISH/IHC truth table. her2cn must
  be on PATH.

hints:
  SoftwareRequirement:
    packages:
      her2cn: {}
  ResourceRequirement:
    coresMin: 1
    ramMin: 1000

baseCommand: [her2cn, validate]
arguments:
  - --out=.

inputs:
  results:
    type: File[]
    doc: The <sample>.her2cn.json files of her2cn call.
    inputBinding:
      position: 1
  truth:
    type: File
    doc: Truth table (tab-separated; sample, fish, ihc, ...).
    inputBinding:
      prefix: --truth=
      separate: false
  reference:
    type:
      type: enum
      symbols: [fish, ihc]
    default: fish
    doc: The test the calls are scored against (her2cn validate --against).
    inputBinding:
      prefix: --against=
      separate: false

stdout: validate.summary.txt

outputs:
  validation_json:
    type: File
    outputBinding:
      glob: validation.json
  validation_md:
    type: File
    outputBinding:
      glob: validation.md
  validation_html:
    type: File
    outputBinding:
      glob: validation.html
  roc_svg:
    type: File
    outputBinding:
      glob: validation.roc.svg
  summary:
    type: stdout
