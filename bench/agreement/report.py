"""The agreement results as a JSON document and as text tables."""

import datetime
import os
import subprocess

import judge


def git_commit(path):
    result = subprocess.run(["git", "-C", path, "rev-parse", "--short",
                             "HEAD"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def results(args, manifest, per_variant, unattributed, verdicts, run_errors,
            timings):
    variants = manifest["variants"]
    tables = judge.agreement_tables(variants, per_variant, verdicts)
    agree = sum(t["both_positive"] + t["both_negative"]
                for t in tables.values())
    counted = sum(t["counted"] for t in tables.values())
    return {
        "schema": "torch-tidy-agreement", "version": 1,
        "date": datetime.datetime.now(datetime.timezone.utc)
        .strftime("%Y-%m-%d %H:%M UTC"),
        "torch_tidy": os.path.abspath(args.torch_tidy),
        "rules_commit": args.rules_commit,
        "min_growth_bytes": args.min_growth,
        "peak_with_graph_bytes": judge.PEAK_WITH_GRAPH_BYTES,
        "variants": len(variants),
        "translation_units": len(manifest["translation_units"]),
        "timings_seconds": timings,
        "agreement_percent": 100.0 * agree / counted if counted else 0.0,
        "agreeing": agree, "counted": counted,
        "tables": tables,
        "flat_graph_free_findings": judge.flat_graph_free_findings(
            variants, per_variant, verdicts),
        "intended_mismatches": judge.intended_mismatches(variants, verdicts),
        "unattributed_findings": unattributed,
        "run_errors": run_errors,
        "per_variant": {v["name"]: {
            "pattern": v["pattern"], "rules": v["rules"],
            "intended": v["intended"],
            "findings": [{"rule": f["rule"], "line": f["line"]}
                         for f in per_variant[v["name"]]],
            "runtime": verdicts[v["name"]].to_json()} for v in variants},
    }


def row_line(row):
    return "    %s [%s]: static %s, runtime %s (%s)\n      %s" % (
        row["name"], row["pattern"], "finding" if row["static"] else
        "silent", "positive" if row["runtime"] else "negative",
        row["runtime_summary"], row["description"])


def text(r):
    out = ["Agreement of the static rules with the runtime probe",
           "%s; rules of commit %s; %d variants in %d translation units"
           % (r["date"], r["rules_commit"], r["variants"],
              r["translation_units"]),
           "time: " + ", ".join("%s %.1f s" % kv
                                for kv in r["timings_seconds"].items()),
           "",
           "| rule | both + | both - | static only | runtime only | "
           "agreement | not measurable | growth by design |",
           "|---|---|---|---|---|---|---|---|"]
    for rule, t in r["tables"].items():
        if rule in judge.CPU_BLIND_RULES:
            agreement = "runtime blind on CPU"
        elif t["counted"]:
            agreement = "%.1f%%" % (100.0 * (t["both_positive"] +
                                             t["both_negative"]) /
                                    t["counted"])
        else:
            agreement = "-"
        out.append("| %s | %d | %d | %d | %d | %s | %d | %d |" % (
            rule, t["both_positive"], t["both_negative"],
            len(t["static_only"]), len(t["runtime_only"]), agreement,
            len(t["not_measurable"]), len(t["growth_by_design"])))
    out += ["", "overall agreement: %.1f%% (%d of %d)"
            % (r["agreement_percent"], r["agreeing"], r["counted"]),
            "findings on flat programs without a graph: %d"
            % len(r["flat_graph_free_findings"])]
    for f in r["flat_graph_free_findings"]:
        out.append("    %s: %s line %d (%s)" % (f["name"], f["rule"],
                                                f["line"], f["description"]))
    for rule, t in r["tables"].items():
        for kind in ("static_only", "runtime_only"):
            if t[kind]:
                out.append("")
                out.append("%s, %s (%d):" % (rule, kind.replace("_", " "),
                                              len(t[kind])))
                out += [row_line(row) for row in t[kind]]
        for kind in ("not_measurable", "growth_by_design"):
            flagged = [row for row in t[kind] if row["static"]]
            if flagged:
                out.append("")
                out.append("%s, %s, with a finding (%d):" % (
                    rule, kind.replace("_", " "), len(flagged)))
                out += [row_line(row) for row in flagged]
    if r["intended_mismatches"]:
        out += ["", "runtime disagrees with the generator's intended label "
                "(%d):" % len(r["intended_mismatches"])]
        out += ["    %s: %s (%s)\n      %s" % (m["name"], m["mismatch"],
                                               m["runtime_summary"],
                                               m["description"])
                for m in r["intended_mismatches"]]
    if r["unattributed_findings"]:
        out += ["", "findings outside every variant (%d):"
                % len(r["unattributed_findings"])]
        out += ["    %s:%d %s" % (os.path.basename(f["file"]), f["line"],
                                  f["rule"])
                for f in r["unattributed_findings"]]
    if r["run_errors"]:
        out += ["", "variants that failed to run (%d):" % len(r["run_errors"])]
        out += ["    %s: %s" % kv for kv in r["run_errors"].items()]
    return "\n".join(out)
