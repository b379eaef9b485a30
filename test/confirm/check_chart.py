#!/usr/bin/env python3
"""`confirm --chart`: the SVG is well-formed XML with one panel per probe
site and metric, each with one sample polyline and one fitted line, axes in
KiB/MiB, and the site names; a site with phase peaks gets one dotted line
per phase in its CPU tensor and CUDA panels, and a legend.

usage: check_chart.py WORKDIR CONFIRM_COMMAND...
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def sample(i, tensor, heap, cuda=None):
    s = {"iteration": i, "time_ns": i * 1000, "cpu_tensor_bytes": tensor,
         "cpu_peak_bytes": tensor, "host_heap_bytes": heap,
         "grad_enabled": True, "inference_mode": False}
    if cuda is not None:
        s["cuda"] = [{"device": 0, "allocated_bytes": cuda,
                      "peak_allocated_bytes": cuda, "reserved_bytes": cuda,
                      "free_bytes": 1 << 30, "total_bytes": 2 << 30}]
    return s


def with_phases(s, i):
    """Forward, backward and optimizer peaks above the boundary's bytes."""
    s["phases"] = [
        {"phase": name, "cpu_peak_bytes": s["cpu_tensor_bytes"] + extra,
         "cuda": [{"device": 0,
                   "peak_allocated_bytes": s["cuda"][0]["allocated_bytes"] +
                   extra, "peak_reserved_bytes": 0}]}
        for name, extra in (("forward", 40000), ("backward", 60000),
                            ("optimizer", 10000))]
    return s


def main():
    work, command = sys.argv[1], sys.argv[2:]
    os.makedirs(work, exist_ok=True)
    report = {
        "schema": "torch-tidy-runtime-report", "version": 1, "pid": 1,
        "complete": True, "libtorch_version": "2.3.0",
        "host": {"total_bytes": 8 << 30, "available_bytes": 4 << 30},
        "sites": [
            # Grows by 200 KiB of tensors per iteration: a MiB axis.
            {"file": "/src/eval & test.cpp", "line": 22, "thread": 0,
             "iterations": 30, "stride": 1,
             "samples": [sample(i, 500000 + 204800 * i,
                                40000000 + 204800 * i) for i in range(30)]},
            # Flat tensors, a CUDA device growing 1 MiB per iteration, on
            # the second thread.
            {"file": "/src/train.cpp", "line": 40, "thread": 1,
             "iterations": 20, "stride": 1,
             "samples": [with_phases(sample(i, 30000, 2000000,
                                            (1 << 20) * (i + 1)), i)
                         for i in range(20)]},
        ]}
    report_path = os.path.join(work, "report.json")
    findings_path = os.path.join(work, "findings.json")
    chart_path = os.path.join(work, "chart.svg")
    with open(report_path, "w") as f:
        json.dump(report, f)
    with open(findings_path, "w") as f:
        json.dump({"schema": "torch-tidy-findings", "version": 1,
                   "findings": [], "errors": []}, f)
    if os.path.exists(chart_path):
        os.remove(chart_path)
    run = subprocess.run(command + ["--findings", findings_path, "--runtime",
                                    report_path, "--chart", chart_path],
                         capture_output=True, text=True)
    failures = []

    def expect(ok, what):
        if not ok:
            failures.append(what)

    expect(run.returncode == 0, "confirm exits 0: %s" % run.stderr)
    root = ET.parse(chart_path).getroot()  # Raises unless well-formed.
    expect(root.tag == SVG + "svg", "the root is <svg>")
    panels = [g for g in root.iter(SVG + "g") if g.get("class") == "panel"]
    # Site 1: CPU tensors, host heap; site 2: those and cuda:0.
    expect(len(panels) == 5, "5 panels, got %d" % len(panels))
    titles = []
    for panel in panels:
        series = [p for p in panel.iter(SVG + "polyline")
                  if p.get("class") == "series"]
        fits = [l for l in panel.iter(SVG + "line") if l.get("class") == "fit"]
        expect(len(series) == 1, "one sample polyline per panel")
        expect(len(fits) == 1, "one fitted line per panel")
        if series:
            points = series[0].get("points").split()
            expect(len(points) in (30, 20), "a point per sample")
        texts = ["".join(t.itertext()) for t in panel.iter(SVG + "text")]
        titles.append(texts[0] if texts else "")
        expect(any(t in ("B", "KiB", "MiB", "GiB") for t in texts),
               "a unit on the y axis")
        expect("iteration" in texts, "an x axis label")
    phase_lines = [len([p for p in panel.iter(SVG + "polyline")
                        if (p.get("class") or "").startswith("phase ")])
                   for panel in panels]
    expect(phase_lines == [0, 0, 3, 0, 3],
           "a dotted line per phase in the panels with phases: %r"
           % phase_lines)
    legends = ["".join(t.itertext()) for t in root.iter(SVG + "text")
               if t.get("class") == "phase-legend"]
    expect(len(legends) == 2 and legends[0] ==
           "phase peaks (median): forward 68.4 KiB, backward 87.9 KiB, "
           "optimizer 39.1 KiB", "the phase legend: %r" % legends)
    expect(titles == [
        "eval & test.cpp:22 \u2014 CPU tensor bytes",
        "eval & test.cpp:22 \u2014 host heap outside tensors",
        "train.cpp:40 thread 1 \u2014 CPU tensor bytes",
        "train.cpp:40 thread 1 \u2014 host heap outside tensors",
        "train.cpp:40 thread 1 \u2014 cuda:0 allocated"],
        "panel titles: %r" % titles)
    all_text = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    expect("MiB" in all_text, "the growing site's axis is in MiB")
    expect(any("+200.0 KiB/iteration" in t for t in all_text),
           "the fitted slope is printed")
    expect(any("+1.0 MiB/iteration" in t for t in all_text),
           "the CUDA slope is printed")
    for f in failures:
        print("FAIL:", f)
    print("chart: %d checks failed" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
