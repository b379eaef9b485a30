"""Judges each variant by its runtime report, joins the static findings to
the variants, and counts agreement per rule.

Runtime verdicts (the ground truth):
- grows: steady growth at the variant's probe site, by confirm's own
  statistics (Theil-Sen slope >= --min-growth, Kendall tau >= --min-tau, on
  live CPU tensor bytes or the host heap outside tensors).
- backward ran: the probe's automatic mode counted backward passes.
- graph built without backward: no backward pass ran, and either the
  per-iteration CPU peak above the iteration's end shows the saved
  activations of a forward pass with autograd on (PEAK_WITH_GRAPH_BYTES),
  or the site grows while grad mode is on at most of its boundaries.
"""

from codegen import (GRAPH_KEPT, NO_GRAD, ON_DEVICE, RETAIN, UNGUARDED,
                     UNNAMED, ZERO_GRAD)

# A forward pass of TinyNet on one batch with autograd on holds about
# 75 KiB of saved activations above what the iteration leaves alive; with
# autograd off the peak stays near 24 KiB (measured with the probe).
PEAK_WITH_GRAPH_BYTES = 48 * 1024

GROWTH_RULES = [GRAPH_KEPT, UNGUARDED, RETAIN, ZERO_GRAD]
GRAPH_RULES = [NO_GRAD, UNNAMED]
CPU_BLIND_RULES = [ON_DEVICE]
ALL_RULES = GROWTH_RULES + GRAPH_RULES + CPU_BLIND_RULES


def same_file(a, b):
    return a == b or a.endswith("/" + b) or b.endswith("/" + a)


def in_ranges(file, line, ranges):
    return any(same_file(file, r["file"]) and r["begin"] <= line <= r["end"]
               for r in ranges)


class RuntimeVerdict:
    def __init__(self, site, automatic, report_error=None):
        self.site = site  # confirm's evidence of the marker site, or None
        self.error = report_error
        self.backward_passes = automatic["iterations"] if automatic else 0
        if site is None:
            self.grows = self.graph_built = False
            self.bytes_per_iteration = 0.0
            self.peak = 0.0
            self.grad_on = False
            return
        self.grows = bool(site["grows"])
        self.bytes_per_iteration = site.get("bytes_per_iteration", 0.0) \
            if self.grows else 0.0
        self.peak = site.get("iteration_peak_bytes", 0.0)
        self.grad_on = site["grad_mode_on_iterations"] * 2 >= \
            site["iterations"]
        self.graph_built = self.backward_passes == 0 and (
            self.peak >= PEAK_WITH_GRAPH_BYTES or
            (self.grows and self.grad_on))

    def growth_text(self):
        if not self.site:
            return "no probe site ran"
        if not self.grows:
            return "flat"
        metrics = ", ".join("%s +%.0f B/it" % (m["metric"],
                                                m["bytes_per_iteration"])
                            for m in self.site["metrics"] if m["grows"])
        return "grows %s" % metrics

    def summary(self):
        return "%s; peak above end %.0f B; grad mode %s; %d backward passes" \
            % (self.growth_text(), self.peak, "on" if self.grad_on else
               "off", self.backward_passes)

    def to_json(self):
        return {"grows": self.grows,
                "bytes_per_iteration": self.bytes_per_iteration,
                "iteration_peak_bytes": self.peak,
                "grad_mode_on": self.grad_on,
                "backward_passes": self.backward_passes,
                "graph_built_without_backward": self.graph_built,
                "error": self.error,
                "metrics": self.site["metrics"] if self.site else []}


def runtime_verdicts(variants, confirmation, automatic_sites, run_errors):
    """{variant name: RuntimeVerdict}; `automatic_sites` maps a report path
    to its automatic site's evidence."""
    sites = [s for s in confirmation["sites"]
             if not s["site"].get("boundary")]
    verdicts = {}
    for v in variants:
        name = v["name"]
        mine = [s for s in sites if s["report"] == v["report"] and
                in_ranges(s["site"]["file"], s["site"]["line"],
                          v["ranges"])]
        verdicts[name] = RuntimeVerdict(mine[0] if mine else None,
                                        automatic_sites.get(v["report"]),
                                        run_errors.get(name))
    return verdicts


def attribute_findings(variants, findings):
    """{variant name: [finding]} and the findings in no variant."""
    per_variant = {v["name"]: [] for v in variants}
    unattributed = []
    for f in findings:
        owner = None
        for v in variants:
            if in_ranges(f["file"], f["line"], v["ranges"]):
                owner = v["name"]
                break
        if owner:
            per_variant[owner].append(f)
        else:
            unattributed.append(f)
    return per_variant, unattributed


def runtime_positive(rule, verdict):
    if rule in GRAPH_RULES:
        return verdict.graph_built
    return verdict.grows


def rule_rows(rule, variants, findings, verdicts):
    """The variants counted in `rule`'s table: those whose pattern is about
    the rule, those the rule flagged, and for missing-no-grad every variant
    that ran no backward pass. Yields (variant, static, runtime, status)."""
    for v in variants:
        name = v["name"]
        verdict = verdicts[name]
        # A finding that reports another rule's finding as a note (one
        # defect seen by two rules) counts for both.
        static = any(f["rule"] == rule or
                     any(i["rule"] == rule for i in f.get("includes", []))
                     for f in findings[name])
        member = rule in v["rules"] or static or (
            rule == NO_GRAD and verdict.site is not None and
            verdict.backward_passes == 0)
        if not member:
            continue
        if verdict.site is None:
            status = "not run"
        elif rule in CPU_BLIND_RULES or rule in v["not_measurable"]:
            status = "not measurable"
        elif v["growth_by_design"]:
            status = "growth by design"
        else:
            status = "counted"
        yield v, static, runtime_positive(rule, verdict), status


def agreement_tables(variants, findings, verdicts):
    tables = {}
    for rule in ALL_RULES:
        table = {"both_positive": 0, "both_negative": 0, "static_only": [],
                 "runtime_only": [], "not_measurable": [],
                 "growth_by_design": [], "not_run": []}
        for v, static, runtime, status in rule_rows(rule, variants,
                                                    findings, verdicts):
            row = {"name": v["name"], "pattern": v["pattern"],
                   "description": v["description"], "static": static,
                   "runtime": runtime,
                   "runtime_summary": verdicts[v["name"]].summary(),
                   "bytes_per_iteration":
                       verdicts[v["name"]].bytes_per_iteration,
                   "findings": [f["rule"] + " line %d" % f["line"]
                                for f in findings[v["name"]]]}
            if status == "not run":
                table["not_run"].append(row)
            elif status == "not measurable":
                table["not_measurable"].append(row)
            elif status == "growth by design":
                table["growth_by_design"].append(row)
            elif static and runtime:
                table["both_positive"] += 1
            elif not static and not runtime:
                table["both_negative"] += 1
            elif static:
                table["static_only"].append(row)
            else:
                table["runtime_only"].append(row)
        table["counted"] = (table["both_positive"] + table["both_negative"] +
                            len(table["static_only"]) +
                            len(table["runtime_only"]))
        tables[rule] = table
    return tables


def flat_graph_free_findings(variants, findings, verdicts):
    """Findings on variants where the runtime saw neither growth nor a
    graph (no backward pass, no graph-sized peak, flat). Findings of rules
    the CPU runtime cannot see (device memory) are not counted."""
    out = []
    for v in variants:
        verdict = verdicts[v["name"]]
        if verdict.site is None or verdict.grows or verdict.graph_built or \
                verdict.backward_passes > 0:
            continue
        for f in findings[v["name"]]:
            if f["rule"] in CPU_BLIND_RULES:
                continue
            out.append({"name": v["name"], "rule": f["rule"],
                        "line": f["line"], "description": v["description"]})
    return out


def intended_mismatches(variants, verdicts):
    """Variants where the runtime contradicts the generator's belief."""
    out = []
    for v in variants:
        verdict = verdicts[v["name"]]
        if verdict.site is None:
            continue
        wrong = []
        if v["intended"]["growth"] != verdict.grows:
            wrong.append("growth: intended %s, runtime %s"
                         % (v["intended"]["growth"], verdict.grows))
        # A graph grown on purpose has its backward after the loop, where
        # the probe's sites no longer look.
        if v["intended"]["graph_unneeded"] != verdict.graph_built and \
                not v["growth_by_design"]:
            wrong.append("unneeded graph: intended %s, runtime %s"
                         % (v["intended"]["graph_unneeded"],
                            verdict.graph_built))
        if wrong:
            out.append({"name": v["name"], "description": v["description"],
                        "mismatch": "; ".join(wrong),
                        "runtime_summary": verdict.summary()})
    return out
