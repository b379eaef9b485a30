// The probe's entry points and its process-wide state. Everything starts
// at load time when TORCH_TIDY_REPORT is set; otherwise nothing is
// installed and markIteration returns at once.
#include "torch_tidy/probe.h"

#include "CountingCpuAllocator.h"
#include "HostMemory.h"
#include "ProbeState.h"
#include "ReportWriter.h"

#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unistd.h>

namespace torch_tidy::probe {

namespace {

struct Probe {
  std::string ReportPath;
  int64_t WriteEvery = 10; // Boundaries between periodic reports.
  std::chrono::steady_clock::time_point Start =
      std::chrono::steady_clock::now();
  CountingCpuAllocator *Allocator = nullptr;

  std::mutex Mutex;
  ProbeSnapshot State;
  int64_t BoundariesSinceWrite = 0;
  bool WriteFailureReported = false;

  void record(const char *File, int Line);
  bool write(bool Complete);
};

Probe *ActiveProbe = nullptr;

void Probe::record(const char *File, int Line) {
  Sample S{};
  S.TimeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::steady_clock::now() - Start)
                 .count();
  S.CpuTensorBytes = Allocator->liveBytes();
  S.CpuPeakBytes = Allocator->peakBytes();
  S.HostHeapBytes = hostHeapBytesInUse();
  S.GradEnabled = c10::GradMode::is_enabled();
  S.InferenceMode = c10::InferenceMode::is_enabled();
  Allocator->resetPeak();

  bool WriteNow = false;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    SiteSeries &Series = State.Sites[SiteKey(File, Line)];
    S.Iteration = Series.Iterations;
    Series.add(S);
    WriteNow = ++BoundariesSinceWrite >= WriteEvery;
  }
  if (WriteNow)
    write(/*Complete=*/false);
}

bool Probe::write(bool Complete) {
  std::string Text;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    BoundariesSinceWrite = 0;
    Text = renderReport(State, Complete);
  }
  bool Ok = writeFileAtomically(ReportPath, Text);
  if (!Ok && !WriteFailureReported) {
    WriteFailureReported = true;
    std::fprintf(stderr, "torch-tidy probe: %s: cannot write the report\n",
                 ReportPath.c_str());
  }
  return Ok;
}

void writeFinalReport() {
  if (ActiveProbe)
    ActiveProbe->write(/*Complete=*/true);
}

Probe *startFromEnvironment() {
  const char *Pattern = std::getenv("TORCH_TIDY_REPORT");
  if (!Pattern || !*Pattern)
    return nullptr;
  auto *P = new Probe(); // Lives until exit; the atexit handler uses it.
  P->ReportPath = expandReportPath(Pattern, static_cast<long>(getpid()));
  if (const char *Every = std::getenv("TORCH_TIDY_REPORT_EVERY")) {
    long Value = std::strtol(Every, nullptr, 10);
    if (Value > 0)
      P->WriteEvery = Value;
  }
  P->Allocator = &CountingCpuAllocator::install();
  std::atexit(writeFinalReport);
  return P;
}

// Runs at load time, before main, so that every tensor the program
// allocates is counted.
const bool Started = [] {
  ActiveProbe = startFromEnvironment();
  return ActiveProbe != nullptr;
}();

} // namespace

void markIteration(const char *File, int Line) noexcept {
  if (!ActiveProbe)
    return;
  try {
    ActiveProbe->record(File, Line);
  } catch (...) {
    // Measuring must never break the program it measures.
  }
}

bool isEnabled() noexcept { return Started && ActiveProbe; }

bool writeReport() noexcept {
  try {
    return ActiveProbe && ActiveProbe->write(/*Complete=*/false);
  } catch (...) {
    return false;
  }
}

} // namespace torch_tidy::probe
