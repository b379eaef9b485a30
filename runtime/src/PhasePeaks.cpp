// Phases from backward passes (BackwardPasses.h). The first node of a pass
// after a boundary ends the forward phase; the pass's end folds the window
// since the previous change into the backward phase, so what follows (the
// optimizer step, and anything else before the next boundary) is the third
// phase. A second pass in the same iteration (gradient accumulation) folds
// the time since the first one's end into the backward phase. Measured runs
// also close a window at each node end. Reading a window restarts the
// allocator's peak: a phase change costs two atomic operations on the CPU,
// and the allocator keeps the running peak in between.
#include "PhasePeaks.h"
#include "CountingCpuAllocator.h"
#include "TorchCompat.h"

#include "torch_tidy/report_schema.h"

#include <algorithm>
#include <mutex>
#include <optional>

namespace torch_tidy::probe {

namespace {

enum class Phase { Forward, Backward, AfterBackward };

struct PhaseTracker {
  std::mutex Mutex;
  CountingCpuAllocator *Allocator = nullptr;
  Phase Current = Phase::Forward;
  std::vector<int> CudaDevices;
  std::optional<PhasePeakSample> Forward, Backward;
  bool KeepWindows = false;
  std::vector<int64_t> CpuWindows, CudaWindows;

  PhasePeakSample readWindow(const char *Name);
};

// Constructed on first use: the probe installs the tracking from another
// file's static initialiser, which may run before this file's.
PhaseTracker &tracker() {
  static PhaseTracker *Instance = new PhaseTracker(); // Used until exit.
  return *Instance;
}

#ifdef TORCH_TIDY_WITH_CUDA
void readCudaWindow(const std::vector<int> &Devices,
                    std::vector<CudaPhasePeak> &Out) {
  for (int Device : Devices) {
    auto Index = static_cast<c10::DeviceIndex>(Device);
    try {
      CudaAllocatorStats Stats = cudaAllocatorStats(Index);
      Out.push_back(
          {Device, Stats.PeakAllocatedBytes, Stats.PeakReservedBytes});
      resetCudaPeakStats(Index);
    } catch (const c10::Error &) {
    }
  }
}
#else
void readCudaWindow(const std::vector<int> &, std::vector<CudaPhasePeak> &) {}
#endif

PhasePeakSample PhaseTracker::readWindow(const char *Name) {
  PhasePeakSample Window{Name, Allocator->peakBytes(), {}, {}, {}};
  Allocator->resetPeak();
  readCudaWindow(CudaDevices, Window.Cuda);
  return Window;
}

/// Folds \p Window into \p Into: the larger peak of each measure.
void fold(std::optional<PhasePeakSample> &Into, const PhasePeakSample &Window) {
  if (!Into) {
    Into = Window;
    return;
  }
  Into->CpuPeakBytes = std::max(Into->CpuPeakBytes, Window.CpuPeakBytes);
  for (const CudaPhasePeak &Device : Window.Cuda) {
    auto Same = std::find_if(
        Into->Cuda.begin(), Into->Cuda.end(),
        [&](const CudaPhasePeak &D) { return D.Device == Device.Device; });
    if (Same == Into->Cuda.end()) {
      Into->Cuda.push_back(Device);
      continue;
    }
    Same->PeakAllocatedBytes =
        std::max(Same->PeakAllocatedBytes, Device.PeakAllocatedBytes);
    Same->PeakReservedBytes =
        std::max(Same->PeakReservedBytes, Device.PeakReservedBytes);
  }
}

void phasePassStarted(uint64_t /*ForwardThread*/) {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  if (Tracker.Current == Phase::Forward)
    Tracker.Forward = Tracker.readWindow(report::PhaseForward);
  Tracker.Current = Phase::Backward;
}

/// Closes a window of the backward phase: at each node end of a measured
/// run (kept as one of its windows) and at the end of each pass.
void closeBackwardWindow(bool KeepAsWindow) {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  if (Tracker.Current == Phase::Forward)
    return; // The pass started before the boundary; it counts there.
  PhasePeakSample Window = Tracker.readWindow(report::PhaseBackward);
  if (KeepAsWindow && Tracker.KeepWindows &&
      Tracker.CpuWindows.size() < MaxBackwardWindows) {
    Tracker.CpuWindows.push_back(Window.CpuPeakBytes);
    if (!Window.Cuda.empty())
      Tracker.CudaWindows.push_back(Window.Cuda.front().PeakReservedBytes);
  }
  fold(Tracker.Backward, Window);
  Tracker.Current = Phase::AfterBackward;
}

void phaseNodeEnded() { closeBackwardWindow(/*KeepAsWindow=*/true); }
void phasePassEnded() { closeBackwardWindow(/*KeepAsWindow=*/false); }

} // namespace

BackwardPassListener installPhaseTracking(CountingCpuAllocator &Allocator) {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  Tracker.Allocator = &Allocator;
  BackwardPassListener Listener;
  Listener.Started = &phasePassStarted;
  Listener.NodeEnded = Tracker.KeepWindows ? &phaseNodeEnded : nullptr;
  Listener.Ended = &phasePassEnded;
  return Listener;
}

void keepBackwardWindows() {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  Tracker.KeepWindows = true;
}

const char *phaseName(int Index) {
  const char *Names[] = {report::PhaseForward, report::PhaseBackward,
                         report::PhaseOptimizer};
  return Index >= 0 && Index < IterationPhases::MaxPhases ? Names[Index] : "";
}

IterationPhases closeIterationPhases() {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  if (!Tracker.Allocator)
    return {};
  std::vector<PhasePeakSample> Phases;
  switch (Tracker.Current) {
  case Phase::Forward: // No backward pass: one phase.
    Phases.push_back(Tracker.readWindow(report::PhaseForward));
    break;
  case Phase::Backward: // A boundary inside a backward pass.
    fold(Tracker.Backward, Tracker.readWindow(report::PhaseBackward));
    Phases = {*Tracker.Forward, *Tracker.Backward};
    break;
  case Phase::AfterBackward:
    Phases = {*Tracker.Forward, *Tracker.Backward,
              Tracker.readWindow(report::PhaseOptimizer)};
    break;
  }
  IterationPhases Compact;
  Compact.Count = static_cast<int>(Phases.size());
  bool Detailed = !Tracker.CpuWindows.empty();
  for (size_t I = 0; I < Phases.size(); ++I) {
    Compact.CpuPeakBytes[I] = Phases[I].CpuPeakBytes;
    Detailed = Detailed || !Phases[I].Cuda.empty();
  }
  if (Detailed) {
    auto Details = std::make_shared<PhaseDetails>();
    for (size_t I = 0; I < Phases.size(); ++I)
      Details->Cuda[I] = std::move(Phases[I].Cuda);
    if (Phases.size() > 1) {
      Details->CpuWindowPeaks.swap(Tracker.CpuWindows);
      Details->CudaWindowPeaks.swap(Tracker.CudaWindows);
    }
    Compact.Details = std::move(Details);
  }
  Tracker.CpuWindows.clear();
  Tracker.CudaWindows.clear();
  Tracker.Current = Phase::Forward;
  Tracker.Forward.reset();
  Tracker.Backward.reset();
  return Compact;
}

void setPhaseCudaDevices(const std::vector<CudaDeviceSample> &InUse) {
  PhaseTracker &Tracker = tracker();
  std::lock_guard<std::mutex> Lock(Tracker.Mutex);
  Tracker.CudaDevices.clear();
  for (const CudaDeviceSample &Device : InUse)
    Tracker.CudaDevices.push_back(Device.Device);
}

} // namespace torch_tidy::probe
