// The probe's entry points and its process-wide state. Everything starts
// at load time when TORCH_TIDY_REPORT is set; otherwise nothing is
// installed and markIteration returns at once.
#include "torch_tidy/probe.h"

#include "AutomaticIterations.h"
#include "BackwardPasses.h"
#include "CountingCpuAllocator.h"
#include "CudaMemory.h"
#include "HostMemory.h"
#include "Origins.h"
#include "MeasuredRun.h"
#include "PhasePeaks.h"
#include "ProbeState.h"
#include "ReportWriter.h"

#include <ATen/record_function.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include "torch_tidy/report_schema.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <unistd.h>

namespace torch_tidy::probe {

namespace {

struct Probe {
  std::string ReportPath;
  int64_t WriteEvery = 10; // Boundaries between periodic reports.
  // And at least this long between them: rendering a long run's report
  // costs milliseconds, which every 10 short iterations would be a large
  // share of the loop.
  int64_t MinWriteIntervalNs = 1000 * 1000 * 1000;
  // And at least this many times the last write's own cost apart, so that
  // periodic reports take under 1/200 of the run however long the series
  // grow (a full report renders in about 12 ms).
  static constexpr int64_t WriteCostFactor = 200;
  std::chrono::steady_clock::time_point Start =
      std::chrono::steady_clock::now();
  CountingCpuAllocator *Allocator = nullptr;
  // Origins mode (TORCH_TIDY_ORIGINS=1). Survivors are summed at
  // boundaries, while the loop's data is alive (at exit it is gone): every
  // WriteEvery boundaries, at most 1/WriteCostFactor of the run, and before
  // each periodic write. The reports carry the latest sums.
  bool OriginsOn = false;
  int64_t BoundariesSinceSummary = 0;
  int64_t LastSummaryNs = 0;
  int64_t LastSummaryCostNs = 0;

  std::mutex Mutex;
  ProbeSnapshot State;
  const SiteKey *LastSite = nullptr; // Last site marked on any thread.
  int64_t LastIteration = 0;
  int64_t BoundariesSinceWrite = 0;
  int64_t LastWriteNs = 0;
  int64_t LastWriteCostNs = 0;
  int64_t StopAfter = 0; // TORCH_TIDY_STOP_AFTER; 0: run to the end.
  bool WriteFailureReported = false;
  std::once_flag CudaNoted;

  /// \p Boundary: empty for TORCH_TIDY_ITERATION(), else the automatic
  /// mode's name for what marked it.
  void record(const char *File, int Line, const char *Boundary);
  void recordFailure(FailureRecord F);
  /// Refreshes State.Origins when due (or \p Force); under Mutex.
  void summarizeOrigins(int64_t NowNs, bool Force);
  bool write(bool Complete);
};

Probe *ActiveProbe = nullptr;
std::atomic<int> NextThreadOrdinal{0};

/// What the probe knows about the calling thread. Sites are map nodes, so
/// the pointer stays valid.
struct ThreadState {
  int Ordinal = -1; // Assigned at the thread's first boundary.
  const SiteKey *LastSite = nullptr;
  int64_t LastIteration = 0;
};
thread_local ThreadState ThisThread;

/// The iteration's CPU peak: the phases restart the allocator's peak
/// window, so it is the largest of theirs (and of the window still open).
int64_t iterationCpuPeak(const IterationPhases &Phases,
                         int64_t OpenWindowPeak) {
  int64_t Peak = OpenWindowPeak;
  for (int I = 0; I < Phases.Count; ++I)
    Peak = std::max(Peak, Phases.CpuPeakBytes[I]);
  return Peak;
}

/// The same for each CUDA device's peak allocated bytes.
void foldPhasePeaksIntoCudaSamples(const IterationPhases &Phases,
                                   std::vector<CudaDeviceSample> &Devices) {
  if (!Phases.Details)
    return;
  for (CudaDeviceSample &D : Devices)
    for (int I = 0; I < Phases.Count; ++I)
      for (const CudaPhasePeak &Peak : Phases.Details->Cuda[I])
        if (Peak.Device == D.Device)
          D.PeakAllocatedBytes =
              std::max(D.PeakAllocatedBytes, Peak.PeakAllocatedBytes);
}

void Probe::record(const char *File, int Line, const char *Boundary) {
  Sample S{};
  S.TimeNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::steady_clock::now() - Start)
                 .count();
  S.CpuTensorBytes = Allocator->liveBytes();
  settleBackwardPasses(at::RecordFunction::currentThreadId());
  S.Phases = closeIterationPhases();
  S.CpuPeakBytes = iterationCpuPeak(S.Phases, Allocator->peakBytes());
  S.HostHeapBytes = hostHeapBytesInUse();
  S.GradEnabled = c10::GradMode::is_enabled();
  S.InferenceMode = c10::InferenceMode::is_enabled();
  // Not at start-up: that would initialise CUDA before main, ahead of a
  // program that sets CUDA_VISIBLE_DEVICES first.
  std::call_once(CudaNoted, noteCudaAvailability);
  sampleCudaDevices(S.Cuda);
  if (OriginsOn && !S.Cuda.empty())
    noteCudaInUse();
  foldPhasePeaksIntoCudaSamples(S.Phases, S.Cuda);
  setPhaseCudaDevices(S.Cuda);
  Allocator->resetPeak();
  if (ThisThread.Ordinal < 0)
    ThisThread.Ordinal = NextThreadOrdinal.fetch_add(1);

  bool WriteNow = false;
  bool Stop = false;
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    auto Site =
        State.Sites
            .try_emplace(SiteKey{File, Line, ThisThread.Ordinal, Boundary})
            .first;
    SiteSeries &Series = Site->second;
    S.Iteration = Series.Iterations;
    Series.add(S);
    LastSite = ThisThread.LastSite = &Site->first;
    LastIteration = ThisThread.LastIteration = S.Iteration;
    if (OriginsOn)
      noteOriginsBoundary(&Site->first, S.Iteration);
    // Sample 0 ends the start-up; samples 1..N end N whole iterations.
    Stop = StopAfter > 0 && S.Iteration >= StopAfter;
    if (Stop)
      State.Measured.StoppedAfter = StopAfter;
    WriteNow =
        ++BoundariesSinceWrite >= WriteEvery &&
        S.TimeNs - LastWriteNs >=
            std::max(MinWriteIntervalNs, WriteCostFactor * LastWriteCostNs);
    if (OriginsOn)
      summarizeOrigins(S.TimeNs, WriteNow);
  }
  if (Stop) {
    write(/*Complete=*/true);
    endMeasuredRun();
  }
  if (WriteNow)
    write(/*Complete=*/false);
}

void Probe::recordFailure(FailureRecord F) {
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    if (State.Failure)
      return; // Keep the first: later ones are often its consequences.
    F.CpuTensorBytes = Allocator->liveBytes();
    F.HostHeapBytes = hostHeapBytesInUse();
    // The failing thread's own loop, else the last loop of any thread.
    const SiteKey *Site = ThisThread.LastSite ? ThisThread.LastSite : LastSite;
    if (Site) {
      F.LastSite = *Site;
      F.Iteration =
          ThisThread.LastSite ? ThisThread.LastIteration : LastIteration;
    }
    State.Failure = std::move(F);
  }
  // Now, before the exception reaches the program: it may not survive it.
  write(/*Complete=*/false);
}

// The allocators' failure handlers: they must not throw, and out of memory
// while recording a failure is likely; the failure still propagates.
void onCpuAllocationFailure(size_t Bytes, const char *Message) noexcept {
  if (!ActiveProbe)
    return;
  try {
    FailureRecord F;
    settleBackwardPasses(0); // The engine abandons a pass that fails.
    F.Kind = report::FailureKindCpuOom;
    F.Message = Message;
    F.RequestedBytes = static_cast<int64_t>(Bytes);
    ActiveProbe->recordFailure(std::move(F));
  } catch (...) {
  }
}

void onCudaAllocationFailure(int Device, int64_t Bytes,
                             int64_t DeviceFreeBytes) noexcept {
  if (!ActiveProbe)
    return;
  try {
    FailureRecord F;
    settleBackwardPasses(0);
    F.Kind = report::FailureKindCudaOom;
    F.Message = "CUDA out of memory";
    F.RequestedBytes = Bytes;
    F.CudaDevice = Device;
    F.DeviceFreeBytes = DeviceFreeBytes;
    ActiveProbe->recordFailure(std::move(F));
  } catch (...) {
  }
}

void onBackwardPassBoundary() {
  try {
    ActiveProbe->record("", 0, report::BoundaryBackwardPass);
  } catch (...) {
  }
}

/// TORCH_TIDY_AUTO_ITERATION: "backward" turns on the automatic mode.
/// Adds its listener to \p Listeners when it did.
void startAutomaticMode(std::vector<BackwardPassListener> &Listeners) {
  const char *Mode = std::getenv("TORCH_TIDY_AUTO_ITERATION");
  if (!Mode || !*Mode)
    return;
  if (std::string(Mode) == "backward") {
    Listeners.push_back(installBackwardPassBoundaries(&onBackwardPassBoundary));
    return;
  }
  std::fprintf(stderr,
               "torch-tidy probe: TORCH_TIDY_AUTO_ITERATION=%s: unknown mode "
               "(the one mode is 'backward'); automatic mode off\n",
               Mode);
}

void Probe::summarizeOrigins(int64_t NowNs, bool Force) {
  if (!Force &&
      (++BoundariesSinceSummary < WriteEvery ||
       NowNs - LastSummaryNs < WriteCostFactor * LastSummaryCostNs))
    return;
  auto Began = std::chrono::steady_clock::now();
  State.Origins = summarizeSurvivors(*Allocator, State.Sites);
  BoundariesSinceSummary = 0;
  LastSummaryNs = NowNs;
  LastSummaryCostNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - Began)
                          .count();
}

bool Probe::write(bool Complete) {
  std::string Text;
  auto Began = std::chrono::steady_clock::now();
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    BoundariesSinceWrite = 0;
    LastWriteNs =
        std::chrono::duration_cast<std::chrono::nanoseconds>(Began - Start)
            .count();
    State.Measured.AutocastDevices = autocastDevicesSeen();
    Text = renderReport(State, Complete);
  }
  std::string Problem;
  bool Ok = writeFileAtomically(ReportPath, Text, Problem);
  {
    std::lock_guard<std::mutex> Lock(Mutex);
    LastWriteCostNs = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::steady_clock::now() - Began)
                          .count();
  }
  if (!Ok && !WriteFailureReported) {
    WriteFailureReported = true;
    // Once: the report is rewritten every few iterations. The program's
    // own work and exit status are not the probe's to change.
    std::fprintf(stderr, "torch-tidy probe: error: %s (the report)\n",
                 Problem.c_str());
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
  if (const char *Interval = std::getenv("TORCH_TIDY_REPORT_INTERVAL_MS")) {
    long Value = std::strtol(Interval, nullptr, 10);
    if (Value >= 0)
      P->MinWriteIntervalNs = static_cast<int64_t>(Value) * 1000 * 1000;
  }
  P->Allocator = &CountingCpuAllocator::install();
  P->Allocator->setFailureHandler(&onCpuAllocationFailure);
  watchCudaOutOfMemory(&onCudaAllocationFailure);
  P->OriginsOn = startOriginsFromEnvironment(*P->Allocator);
  P->StopAfter = stopAfterFromEnvironment();
  if (P->StopAfter > 0) {
    watchAutocast();
    keepBackwardWindows();
  }
  std::atexit(writeFinalReport);
  return P;
}

// Runs at load time, before main, so that every tensor the program
// allocates is counted.
const bool Started = [] {
  ActiveProbe = startFromEnvironment();
  if (ActiveProbe) {
    // One node callback drives the phases and the automatic mode.
    std::vector<BackwardPassListener> Listeners = {
        installPhaseTracking(*ActiveProbe->Allocator)};
    startAutomaticMode(Listeners);
    watchBackwardPasses(Listeners);
  }
  return ActiveProbe != nullptr;
}();

} // namespace

void markIteration(const char *File, int Line) noexcept {
  if (!ActiveProbe)
    return;
  try {
    ActiveProbe->record(File, Line, "");
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
