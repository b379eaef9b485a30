//===--- RuntimeReport.h - Reading the probe's reports ----------*- C++ -*-===//

#ifndef TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H
#define TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace torch_tidy {

/// One CUDA device's caching allocator at a boundary.
struct CudaReading {
  int Device = 0;
  int64_t AllocatedBytes = 0;
  int64_t FreeBytes = 0;          // Free memory on the device; 0 when unknown.
  int64_t PeakAllocatedBytes = 0; // Since the previous boundary.
  int64_t ReservedBytes = 0;
  int64_t TotalBytes = 0; // The device's memory; 0 when unknown.
};

/// One CUDA device's peaks within one phase of an iteration.
struct CudaPhaseReading {
  int Device = 0;
  int64_t PeakAllocatedBytes = 0;
  int64_t PeakReservedBytes = 0;
};

/// The peaks of one phase of the iteration a boundary ends.
struct PhasePeak {
  std::string Phase; // "forward", "backward" or "optimizer".
  int64_t CpuPeakBytes = 0;
  std::vector<CudaPhaseReading> Cuda;
  /// Runs under `torch-tidy fit`, backward phase: the peak of each window
  /// between autograd node ends (CPU, and the first device's reserved).
  std::vector<int64_t> CpuWindowPeaks;
  std::vector<int64_t> CudaWindowPeaks;
};

/// Memory at one iteration boundary of one probe site.
struct IterationSample {
  int64_t Iteration = 0;
  int64_t TimeNs = 0; // Since the probe started.
  int64_t CpuTensorBytes = 0;
  int64_t CpuPeakBytes = 0;
  int64_t HostHeapBytes = 0;
  bool GradEnabled = false;
  std::vector<CudaReading> Cuda; // Devices in use; empty without CUDA.
  bool InferenceMode = false;
  std::vector<PhasePeak> Phases; // Empty in reports of older probes.
};

/// A code module that origins' frames name, as the probe saw it.
struct ReportModule {
  std::string Path;
  std::string BuildId; // Hex; empty when the module had none.
};

/// Survivors of one site made by one (user frames, operator): origins mode
/// (docs/formats.md).
struct SiteOrigin {
  std::string Op;
  bool InBackward = false;
  int CudaDevice = -1; // CUDA blocks of this device; -1: CPU tensors.
  struct Frame {
    int Module = 0; // Index into RuntimeReport::Modules.
    uint64_t Offset = 0; // A return address, from the module's load address.
  };
  std::vector<Frame> Frames; // Innermost first.
  int64_t Count = 0;
  int64_t Bytes = 0;
  double BytesPerIteration = 0;
  int64_t FirstIteration = 0;
  int64_t LastIteration = 0;
  int64_t BirthIterations = 0;
  // Graph origins only (Count is then the number of nodes).
  double NodesPerIteration = 0;
  std::vector<std::string> NodeTypes;
  bool ChainsAcrossIterations = false;
};

struct ProbeSite {
  std::string File;
  int Line = 0;
  std::vector<IterationSample> Samples;
  int Thread = 0; // Ordinal of the thread that marked it.
  /// Empty for a TORCH_TIDY_ITERATION() marker; "backward-pass" for the
  /// automatic mode's site, which has no file or line.
  std::string Boundary;

  std::vector<SiteOrigin> Origins; // Origins mode only, largest first.
  std::vector<SiteOrigin> GraphOrigins; // Surviving autograd nodes.

  bool isAutomatic() const { return !Boundary.empty(); }
};

/// An allocation failure the probe saw before the program did.
struct RuntimeFailure {
  std::string Kind; // "cpu-out-of-memory" or "cuda-out-of-memory".
  std::string Message;
  int64_t RequestedBytes = 0;
  std::optional<int> CudaDevice; // CUDA failures: the device and its free
  int64_t DeviceFreeBytes = 0;   // memory when the allocation failed.
  int64_t CpuTensorBytes = 0;
  int64_t HostHeapBytes = 0;
  std::optional<ProbeSite> LastSite; // File, line and thread; no samples.
  int64_t Iteration = 0;
};

struct RuntimeReport {
  std::string Path;
  bool Complete = false;
  int64_t HostAvailableBytes = 0;
  std::vector<ProbeSite> Sites;
  std::optional<RuntimeFailure> Failure;
  bool HasOrigins = false; // Written in origins mode (TORCH_TIDY_ORIGINS=1).
  int SurvivorAge = 0;
  std::vector<ReportModule> Modules;
  int64_t StoppedAfter = 0; // TORCH_TIDY_STOP_AFTER ended the run; else 0.
  std::vector<std::string> AutocastDevices; // Measured runs: "cpu", "cuda".
};

/// Reads one report; throws InputError naming the file and the problem for
/// missing, truncated, malformed or future-version reports.
RuntimeReport readRuntimeReport(const std::string &Path);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_CONFIRM_RUNTIMEREPORT_H
