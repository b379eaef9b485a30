// What the probe has recorded: per site, a bounded series of samples.
#ifndef TORCH_TIDY_RUNTIME_PROBESTATE_H
#define TORCH_TIDY_RUNTIME_PROBESTATE_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace torch_tidy::probe {

/// One CUDA device's caching allocator at a boundary (CUDA builds only).
struct CudaDeviceSample {
  int Device;
  int64_t AllocatedBytes;
  int64_t PeakAllocatedBytes; // Since the previous boundary.
  int64_t ReservedBytes;
  int64_t FreeBytes; // cudaMemGetInfo: free memory on the whole device.
  int64_t TotalBytes;
};

/// One CUDA device's peaks within one phase of an iteration.
struct CudaPhasePeak {
  int Device;
  int64_t PeakAllocatedBytes;
  int64_t PeakReservedBytes;
};

/// The peaks of one phase of an iteration (PhasePeaks.h).
struct PhasePeakSample {
  const char *Phase; // report::PhaseForward, PhaseBackward, PhaseOptimizer.
  int64_t CpuPeakBytes;
  std::vector<CudaPhasePeak> Cuda; // Devices in use; empty without CUDA.
  /// Measured runs, backward phase: the peak between consecutive autograd
  /// node ends, in order (CPU tensors, and the first CUDA device's reserved
  /// bytes). The phase's peak moment can move from one node to another as
  /// the batch grows; each window's own peak grows linearly.
  std::vector<int64_t> CpuWindowPeaks;
  std::vector<int64_t> CudaWindowPeaks;
};

/// The CUDA peaks and backward windows of an iteration's phases, kept only
/// when there are any.
struct PhaseDetails {
  std::vector<CudaPhasePeak> Cuda[3];  // Per phase, as in IterationPhases.
  std::vector<int64_t> CpuWindowPeaks; // Of the backward phase.
  std::vector<int64_t> CudaWindowPeaks;
};

/// The peaks of an iteration's phases, held in place: the probe keeps one
/// per sample, and an allocation per sample would show up as steady host
/// heap growth of the probe's own.
struct IterationPhases {
  static constexpr int MaxPhases = 3; // forward, backward, optimizer.
  int Count = 0; // 1: forward only; 2: the boundary came inside backward.
  int64_t CpuPeakBytes[MaxPhases] = {};
  std::shared_ptr<const PhaseDetails> Details; // Null for plain CPU runs.
};

struct Sample {
  int64_t Iteration;
  int64_t TimeNs;
  int64_t CpuTensorBytes;
  int64_t CpuPeakBytes;
  int64_t HostHeapBytes;
  bool GradEnabled;
  bool InferenceMode;
  std::vector<CudaDeviceSample> Cuda; // Devices in use; empty without CUDA.
  IterationPhases Phases;             // Since the previous boundary.
};

/// The samples of one probe site. Long runs keep a bounded, evenly spaced
/// series: when full, every other sample is dropped and the stride doubles,
/// so the probe's own memory does not grow with the run.
struct SiteSeries {
  static constexpr size_t MaxSamples = 4096;

  int64_t Iterations = 0;
  int64_t Stride = 1;
  std::vector<Sample> Samples;

  /// Counts one iteration; true when it should be sampled.
  bool nextIterationIsSampled() const { return Iterations % Stride == 0; }
  void add(const Sample &S);
};

/// A probe site: its file and line, and the ordinal of the thread that
/// marks it (0 for the first thread that marks any site, 1 for the next...),
/// so that loops on several threads each keep their own series. A site of
/// the automatic mode has no file: its Boundary names what marks it.
struct SiteKey {
  std::string File;
  int Line = 0;
  int Thread = 0;
  std::string Boundary; // Empty: TORCH_TIDY_ITERATION(); else report's name.

  bool operator<(const SiteKey &Other) const {
    return std::tie(File, Line, Thread, Boundary) <
           std::tie(Other.File, Other.Line, Other.Thread, Other.Boundary);
  }
};

/// An allocation failure seen by the probe before it reached the program.
struct FailureRecord {
  std::string Kind; // report::FailureKindCpuOom or FailureKindCudaOom.
  std::string Message;
  int64_t RequestedBytes = 0;
  std::optional<int> CudaDevice; // CUDA failures: the device and its
  int64_t DeviceFreeBytes = 0;   // free memory as the allocator saw it.
  int64_t CpuTensorBytes = 0;    // Live when the allocation failed.
  int64_t HostHeapBytes = 0;
  std::optional<SiteKey> LastSite; // Last site marked on the failing thread.
  int64_t Iteration = 0;           // That site's last iteration.
};

/// A user frame as the report keeps it: a module of OriginsSnapshot and
/// the return address's offset from the module's load address.
struct OriginFrame {
  int Module = 0;
  uint64_t Offset = 0;
};

struct OriginModule {
  std::string Path;
  std::string BuildId;
};

/// The survivors of one site made by one (user frames, operator): live
/// allocations whose iteration is at least SurvivorAge behind the site's.
struct OriginSummary {
  std::vector<OriginFrame> Frames; // Innermost first; empty: none found.
  std::string Op;                  // Outermost operator; "" outside any.
  bool InBackward = false;
  int CudaDevice = -1; // The device of CUDA blocks; -1: CPU tensors.
  int64_t Count = 0;
  int64_t Bytes = 0;
  int64_t FirstIteration = 0; // Of the survivors' births.
  int64_t LastIteration = 0;
  int64_t BirthIterations = 0; // Distinct iterations that left survivors.
  /// Survivor bytes born after the warm-up, per iteration of that window.
  double BytesPerIteration = 0;
  // Graph origins only: surviving autograd nodes the operator's outputs
  // had as grad_fn.
  double NodesPerIteration = 0; // Count is the number of nodes.
  std::vector<std::string> NodeTypes;  // "AddBackward0", at most a few.
  bool ChainsAcrossIterations = false; // A node's input is an older one's.
};

/// Whether origins mode tags CUDA blocks (CudaOrigins.h).
enum class CudaBlockOrigins {
  Unavailable, // This libtorch cannot (no CUDA, or older than 2.1).
  NotInUse,    // It can; no device was in use at a boundary yet.
  Tagged,
};

struct OriginsSnapshot {
  bool Enabled = false;
  CudaBlockOrigins CudaBlocks = CudaBlockOrigins::Unavailable;
  int SurvivorAge = 0;
  int WarmupIterations = 0;
  std::vector<OriginModule> Modules; // Those the frames name.
  std::map<SiteKey, std::vector<OriginSummary>> Sites;
  std::map<SiteKey, std::vector<OriginSummary>> GraphSites; // Graph nodes.
  int64_t UntaggedLiveBytes = 0; // Made before the first boundary.
  int64_t GraphNodesNotTracked = 0; // Over the table's bound.
  // The user-frame cache (UserStackCache.h): lookups, unwindings, audits
  // and audits that found the cached frames wrong.
  int64_t StackLookups = 0, StackUnwinds = 0, StackAudits = 0,
          StackAuditMismatches = 0;
};

/// A run under `torch-tidy fit` (MeasuredRun.h): how it ended and what
/// it saw.
struct MeasuredRunState {
  int64_t StoppedAfter = 0; // TORCH_TIDY_STOP_AFTER when it ended the run.
  std::vector<std::string> AutocastDevices; // "cpu", "cuda": seen enabled.
};

struct ProbeSnapshot {
  std::map<SiteKey, SiteSeries> Sites;
  std::optional<FailureRecord> Failure; // The first failure only.
  OriginsSnapshot Origins;              // Refreshed at each report write.
  MeasuredRunState Measured;            // What `torch-tidy fit` asked for.
};

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_PROBESTATE_H
