"""Reading a her2cn cohort for the Snakemake workflow: the tumour samples
table, the normals, and the file stems her2cn gives each sample.

Kept free of Snakemake so it can be tested on its own with plain Python.
"""

import datetime
import os
import re
import unicodedata

# The IHC scores her2cn accepts, in the canonical form it writes them
# (src/clinical/ihc.ts); ihc_score reads a lab's spelling by the same rule.
IHC_SCORES = ("0", "0 (null)", "0 (ultralow)", "1+", "1-2+ focal", "2+", "2-3+ focal", "3+")
_IHC_PLAIN = {"0": "0", "1+": "1+", "2+": "2+", "3+": "3+", "1-2+focal": "1-2+ focal", "2-3+focal": "2-3+ focal"}
_ZERO_WORD = r"(null|ultra-?low|ultra low)"
_QUALIFIED_ZERO = re.compile(rf"0\({_ZERO_WORD}\)|0 {_ZERO_WORD}|(ultra-?low|ultra low)")
# The numbers her2cn's --purity accepts (src/cli/options.ts `decimal`), from MIN_PURITY to 1 (src/call/call.ts).
DECIMAL = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
MIN_PURITY = 0.05


def ihc_score(text):
    """The canonical IHC score of a lab's spelling, or None: the rule of
    her2cn's parseIhcScore. Any case; en dash, minus sign or hyphen; spaces
    around dashes, plus signs and brackets or none ('1–2+ focal',
    '1-2+focal', '2-3+ FOCAL'); IHC 0 as '0 (null)', '0 null', '0 (ultralow)',
    '0 ultralow' or 'ultralow' alone. 'null' alone is refused."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = re.sub(r"[\u2010-\u2015\u2212]", "-", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r" ?([-+()]) ?", r"\1", s)
    if s in _IHC_PLAIN:
        return _IHC_PLAIN[s]
    zero = _QUALIFIED_ZERO.fullmatch(s)
    if not zero:
        return None
    word = zero.group(1) or zero.group(2) or zero.group(3)
    return "0 (null)" if word == "null" else "0 (ultralow)"


class CohortError(ValueError):
    """A problem with a samples table or the normals; the message names the file."""


def safe_file_stem(sample):
    """The file stem `her2cn call` writes a sample's results under.

    The same rule as her2cn's safeFileStem (src/output/names.ts): every
    character other than letters, digits, '.', '-', '_' becomes '_', a leading
    '.' too, at most 120 characters, 'sample' if empty. her2cn counts in UTF-16
    code units (JavaScript strings), so a character outside the Basic
    Multilingual Plane becomes two '_'.
    """
    stem = "".join(
        c if re.fullmatch(r"[A-Za-z0-9._-]", c) else ("__" if ord(c) > 0xFFFF else "_")
        for c in sample
    )
    stem = re.sub(r"^\.", "_", stem)
    return "sample" if stem == "" else stem[:120]


def _resolve(path, folder):
    """An absolute path, a relative one taken from `folder`: her2cn records each
    BAM by this path, so the results name their BAM wherever the workflow ran."""
    return os.path.abspath(os.path.join(folder, path))


def _read_tsv(path, required):
    """Rows of a tab-separated table with a header, as (line number, dict of
    cells). As her2cn reads its truth table: blank lines and lines starting
    with '#' are skipped, column names are case-insensitive, cells trimmed."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise CohortError(f"{path}: cannot read ({getattr(e, 'strerror', None) or e})") from None
    lines = [(i + 1, line) for i, line in enumerate(re.split(r"\r?\n", text))]
    lines = [(n, line) for n, line in lines if line.strip() != "" and not line.startswith("#")]
    if not lines:
        raise CohortError(f"{path}: empty; expected a tab-separated header with the columns {', '.join(required)}")
    header_line, header = lines[0]
    columns = [c.strip().lower() for c in header.split("\t")]
    for c in required:
        if c not in columns:
            raise CohortError(f"{path} line {header_line}: no '{c}' column (the header must name {', '.join(required)}, tab-separated)")
    rows = []
    for n, line in lines[1:]:
        values = [v.strip() for v in line.split("\t")]
        if len(values) > len(columns):
            raise CohortError(f"{path} line {n}: {len(values)} columns, the header has {len(columns)}")
        values += [""] * (len(columns) - len(values))
        # The first column of a name counts, as in her2cn's truth table.
        cells = {}
        for c, v in zip(columns, values):
            cells.setdefault(c, v)
        rows.append((n, cells))
    return rows


# The specimen columns of a samples table, as her2cn batch reads them
# (src/clinical/specimen.ts); each is the call option of the same name.
SPECIMEN_COLUMNS = ("specimen", "accession", "block", "tumour_content", "collected")
# The longest a specimen value may be, in UTF-16 code units as her2cn counts them.
SPECIMEN_MAX_LENGTH = 100
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def specimen_problem(column, value):
    """Why `value` cannot be the specimen column's value, as her2cn says it
    (specimenProblem in src/clinical/specimen.ts); None when it can. Checked
    here so that a bad value stops the run at the table, before any job."""
    v = value.strip()
    if v == "":
        return "an empty value"
    if CONTROL.search(v):
        return f"'{CONTROL.sub(' ', value)}' holds a tab, line break or other control character"
    length = len(v.encode("utf-16-le")) // 2
    if length > SPECIMEN_MAX_LENGTH:
        return f"a value of {length} characters; at most {SPECIMEN_MAX_LENGTH}"
    if column == "collected":
        try:
            # Years before 100 are refused, as JavaScript's Date.UTC reads them as 1900-1999.
            ok = re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None and datetime.date.fromisoformat(v).year >= 100
        except ValueError:
            ok = False
        if not ok:
            return f"'{v}' is not a date written YYYY-MM-DD"
    return None


def read_tumours(path):
    """The tumours of a samples table (columns sample, bam, and optional
    purity, ihc, and the specimen's columns, empty when not known; others
    ignored; ihc in its canonical form). Relative BAM paths are taken from the
    table's folder. Each tumour: sample, stem, bam, purity (the text given, or
    None), ihc (or None), and specimen (column: text) when the row has any."""
    folder = os.path.dirname(path)
    tumours = []
    by_sample = {}
    by_stem = {}
    for n, row in _read_tsv(path, ("sample", "bam")):
        sample, bam = row["sample"], row["bam"]
        if sample == "":
            raise CohortError(f"{path} line {n}: empty sample name")
        if bam == "":
            raise CohortError(f"{path} line {n}: sample {sample} has no bam")
        if sample in by_sample:
            raise CohortError(f"{path} line {n}: sample {sample} is also on line {by_sample[sample]}")
        stem = safe_file_stem(sample)
        if stem in by_stem:
            other_line, other = by_stem[stem]
            raise CohortError(
                f"{path} line {n}: samples {other!r} (line {other_line}) and {sample!r} give the same file name {stem}; rename one"
            )
        # Purity is passed to her2cn as written, so it parses the number itself.
        # Empty or NA (any case): not known, as `her2cn batch` reads the table.
        purity = row.get("purity", "")
        if purity == "" or purity.upper() == "NA":
            purity = None
        elif not (DECIMAL.fullmatch(purity) and MIN_PURITY <= float(purity) <= 1):
            raise CohortError(f"{path} line {n}: purity {purity!r} must be a number with {MIN_PURITY} <= purity <= 1, or empty")
        # Passed to her2cn in its canonical form, so results and reruns agree
        # whatever spelling the table uses.
        given = row.get("ihc", "")
        if given.upper() == "NA":
            given = ""
        ihc = None if given == "" else ihc_score(given)
        if given != "" and ihc is None:
            raise CohortError(
                f"{path} line {n}: ihc {given!r} must be one of {', '.join(IHC_SCORES)}"
                " (any case, hyphen or en dash, 'focal' with or without a space), or empty"
            )
        by_sample[sample] = n
        by_stem[stem] = (n, sample)
        tumour = {"sample": sample, "stem": stem, "bam": _resolve(bam, folder), "purity": purity, "ihc": ihc}
        # The specimen's columns, passed to her2cn as written (it checks them);
        # empty or NA: not given. Present only when the row has any.
        specimen = {c: row[c].strip() for c in SPECIMEN_COLUMNS if row.get(c, "").strip().upper() not in ("", "NA")}
        for column, value in specimen.items():
            problem = specimen_problem(column, value)
            if problem:
                raise CohortError(f"{path} line {n}: column {column}: {problem}")
        if specimen:
            tumour["specimen"] = specimen
        tumours.append(tumour)
    if not tumours:
        raise CohortError(f"{path}: no tumours listed")
    return tumours


def read_normals(normals):
    """Normal BAMs, absolute: a list of paths (relative ones from the working
    directory), or the path of a table with a 'bam' column (relative BAM paths
    from the table's folder; other columns ignored)."""
    if isinstance(normals, str):
        folder = os.path.dirname(normals)
        bams = []
        for n, row in _read_tsv(normals, ("bam",)):
            if row["bam"] == "":
                raise CohortError(f"{normals} line {n}: empty bam")
            bams.append(_resolve(row["bam"], folder))
        where = normals
    elif isinstance(normals, list) and all(isinstance(b, str) and b != "" for b in normals):
        bams = [_resolve(b, ".") for b in normals]
        where = "config key 'normals'"
    else:
        raise CohortError("config key 'normals': give a list of normal BAMs or the path of a table with a 'bam' column")
    duplicates = sorted({b for b in bams if bams.count(b) > 1})
    if duplicates:
        raise CohortError(f"{where}: the normal BAM {duplicates[0]} is listed twice")
    if len(bams) < 3:
        raise CohortError(f"{where}: {len(bams)} normal BAM(s); her2cn pon needs at least 3 (10 or more recommended)")
    return bams
