#!/usr/bin/env python3
"""Unit tests of the agreement harness's judge (bench/agreement/judge.py):
runtime verdicts from confirm's site evidence, the join of findings to
variants by line ranges, and the per-rule counts."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "bench", "agreement"))

import judge  # noqa: E402
from codegen import GRAPH_KEPT, NO_GRAD, ON_DEVICE, ZERO_GRAD  # noqa: E402


def site(grows=False, peak=20000.0, grad_on=30, iterations=30,
         bytes_per_iteration=0.0):
    return {"grows": grows, "iteration_peak_bytes": peak,
            "grad_mode_on_iterations": grad_on, "iterations": iterations,
            "bytes_per_iteration": bytes_per_iteration,
            "metrics": [{"metric": "host_heap_other_bytes",
                         "bytes_per_iteration": bytes_per_iteration,
                         "grows": grows}]}


def variant(name, rules, begin, end, not_measurable=(), by_design=False):
    return {"name": name, "rules": rules, "pattern": "p",
            "description": name, "not_measurable": list(not_measurable),
            "growth_by_design": by_design,
            "intended": {"growth": False, "graph_unneeded": False},
            "ranges": [{"file": "/w/tu_00.cpp", "begin": begin,
                        "end": end}]}


def finding(rule, line):
    return {"rule": rule, "file": "/w/tu_00.cpp", "line": line}


class RuntimeVerdictTest(unittest.TestCase):
    def test_growth_is_confirms_verdict(self):
        self.assertTrue(judge.RuntimeVerdict(site(grows=True), None).grows)
        self.assertFalse(judge.RuntimeVerdict(site(), None).grows)

    def test_graph_without_backward_from_the_peak(self):
        built = judge.RuntimeVerdict(site(peak=76000.0), None)
        self.assertTrue(built.graph_built)
        flat = judge.RuntimeVerdict(site(peak=24000.0), None)
        self.assertFalse(flat.graph_built)

    def test_graph_without_backward_from_growth_with_grad_on(self):
        kept = judge.RuntimeVerdict(site(grows=True, peak=100.0), None)
        self.assertTrue(kept.graph_built)
        guarded = judge.RuntimeVerdict(
            site(grows=True, peak=100.0, grad_on=0), None)
        self.assertFalse(guarded.graph_built)

    def test_a_backward_pass_means_the_graph_was_needed(self):
        trained = judge.RuntimeVerdict(site(peak=130000.0),
                                       {"iterations": 30})
        self.assertFalse(trained.graph_built)
        self.assertEqual(trained.backward_passes, 30)


class JoinTest(unittest.TestCase):
    def test_a_finding_belongs_to_the_variant_whose_range_holds_it(self):
        variants = [variant("a", [GRAPH_KEPT], 10, 20),
                    variant("b", [GRAPH_KEPT], 21, 30)]
        per_variant, outside = judge.attribute_findings(
            variants, [finding(GRAPH_KEPT, 20), finding(GRAPH_KEPT, 21),
                       finding(GRAPH_KEPT, 31)])
        self.assertEqual([f["line"] for f in per_variant["a"]], [20])
        self.assertEqual([f["line"] for f in per_variant["b"]], [21])
        self.assertEqual([f["line"] for f in outside], [31])

    def test_another_file_with_the_same_lines_does_not_match(self):
        self.assertFalse(judge.in_ranges(
            "/w/xtu_helpers.cpp", 15,
            [{"file": "/w/tu_00.cpp", "begin": 10, "end": 20}]))


class TablesTest(unittest.TestCase):
    def tables(self, variants, findings, verdicts):
        per_variant, _ = judge.attribute_findings(variants, findings)
        return judge.agreement_tables(variants, per_variant, verdicts)

    def test_counts_each_kind_of_agreement(self):
        variants = [variant("leak_found", [GRAPH_KEPT], 1, 10),
                    variant("leak_missed", [GRAPH_KEPT], 11, 20),
                    variant("fixed_flagged", [GRAPH_KEPT], 21, 30),
                    variant("fixed_silent", [GRAPH_KEPT], 31, 40)]
        grows = judge.RuntimeVerdict(site(grows=True, bytes_per_iteration=
                                          13000.0), {"iterations": 30})
        flat = judge.RuntimeVerdict(site(), {"iterations": 30})
        verdicts = {"leak_found": grows, "leak_missed": grows,
                    "fixed_flagged": flat, "fixed_silent": flat}
        table = self.tables(variants, [finding(GRAPH_KEPT, 5),
                                       finding(GRAPH_KEPT, 25)],
                            verdicts)[GRAPH_KEPT]
        self.assertEqual(table["both_positive"], 1)
        self.assertEqual(table["both_negative"], 1)
        self.assertEqual([r["name"] for r in table["static_only"]],
                         ["fixed_flagged"])
        self.assertEqual([r["name"] for r in table["runtime_only"]],
                         ["leak_missed"])
        self.assertEqual(table["counted"], 4)

    def test_rules_the_runtime_cannot_see_are_not_counted(self):
        variants = [variant("no_reset", [ZERO_GRAD], 1, 10,
                            not_measurable=[ZERO_GRAD]),
                    variant("on_gpu", [ON_DEVICE], 11, 20)]
        flat = judge.RuntimeVerdict(site(), {"iterations": 30})
        tables = self.tables(variants, [finding(ZERO_GRAD, 5),
                                        finding(ON_DEVICE, 15)],
                             {"no_reset": flat, "on_gpu": flat})
        for rule in (ZERO_GRAD, ON_DEVICE):
            self.assertEqual(tables[rule]["counted"], 0)
            self.assertEqual(len(tables[rule]["not_measurable"]), 1)

    def test_missing_no_grad_counts_every_loop_without_backward(self):
        variants = [variant("eval_guarded", [GRAPH_KEPT], 1, 10),
                    variant("train", [GRAPH_KEPT], 11, 20)]
        verdicts = {"eval_guarded": judge.RuntimeVerdict(site(grad_on=0),
                                                         None),
                    "train": judge.RuntimeVerdict(site(peak=130000.0),
                                                  {"iterations": 30})}
        table = self.tables(variants, [], verdicts)[NO_GRAD]
        self.assertEqual(table["both_negative"], 1)
        self.assertEqual(table["counted"], 1)

    def test_findings_on_flat_programs_without_a_graph(self):
        variants = [variant("eval_guarded", [GRAPH_KEPT], 1, 10),
                    variant("train", [GRAPH_KEPT], 11, 20),
                    variant("on_gpu", [ON_DEVICE], 21, 30)]
        verdicts = {"eval_guarded": judge.RuntimeVerdict(site(grad_on=0),
                                                         None),
                    "train": judge.RuntimeVerdict(site(), {"iterations": 30}),
                    "on_gpu": judge.RuntimeVerdict(site(grad_on=0), None)}
        per_variant, _ = judge.attribute_findings(
            variants, [finding(GRAPH_KEPT, 5), finding(GRAPH_KEPT, 15),
                       finding(ON_DEVICE, 25)])
        flat = judge.flat_graph_free_findings(variants, per_variant,
                                              verdicts)
        self.assertEqual([(f["name"], f["rule"]) for f in flat],
                         [("eval_guarded", GRAPH_KEPT)])


if __name__ == "__main__":
    unittest.main()
