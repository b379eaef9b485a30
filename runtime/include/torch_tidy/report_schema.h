// The runtime report's JSON names, shared by the probe that writes reports
// and `torch-tidy confirm` that reads them. See docs/formats.md.
#ifndef TORCH_TIDY_REPORT_SCHEMA_H
#define TORCH_TIDY_REPORT_SCHEMA_H

namespace torch_tidy::report {

inline constexpr const char *SchemaName = "torch-tidy-runtime-report";
inline constexpr int SchemaVersion = 1;

inline constexpr const char *Pid = "pid";
inline constexpr const char *Complete = "complete";
inline constexpr const char *LibtorchVersion = "libtorch_version";
inline constexpr const char *Host = "host";
inline constexpr const char *HostTotalBytes = "total_bytes";
inline constexpr const char *HostAvailableBytes = "available_bytes";
inline constexpr const char *Sites = "sites";
inline constexpr const char *File = "file";
inline constexpr const char *Line = "line";
inline constexpr const char *Iterations = "iterations";
inline constexpr const char *Stride = "stride";
inline constexpr const char *Samples = "samples";
inline constexpr const char *Iteration = "iteration";
inline constexpr const char *TimeNs = "time_ns";
inline constexpr const char *CpuTensorBytes = "cpu_tensor_bytes";
inline constexpr const char *CpuPeakBytes = "cpu_peak_bytes";
inline constexpr const char *HostHeapBytes = "host_heap_bytes";
inline constexpr const char *GradEnabled = "grad_enabled";
inline constexpr const char *InferenceMode = "inference_mode";

// Added within version 1; readers treat them as optional.
inline constexpr const char *Thread = "thread"; // Per site: thread ordinal.
// Per site, only for the automatic mode's site (file "", line 0): what
// marks its boundaries.
inline constexpr const char *Boundary = "boundary";
inline constexpr const char *BoundaryBackwardPass = "backward-pass";
inline constexpr const char *Failure = "failure";
inline constexpr const char *FailureKind = "kind";
inline constexpr const char *FailureKindCpuOom = "cpu-out-of-memory";
inline constexpr const char *FailureKindCudaOom = "cuda-out-of-memory";
inline constexpr const char *FailureDevice = "device"; // CUDA failures only.
inline constexpr const char *FailureDeviceFreeBytes = "device_free_bytes";
inline constexpr const char *FailureMessage = "message";
inline constexpr const char *RequestedBytes = "requested_bytes";
inline constexpr const char *LastSite = "last_site"; // file, line, thread.
inline constexpr const char *Cuda = "cuda"; // Per sample: one per device.
inline constexpr const char *CudaDevice = "device";
inline constexpr const char *CudaAllocatedBytes = "allocated_bytes";
inline constexpr const char *CudaPeakAllocatedBytes = "peak_allocated_bytes";
inline constexpr const char *CudaReservedBytes = "reserved_bytes";
inline constexpr const char *CudaFreeBytes = "free_bytes";
inline constexpr const char *CudaTotalBytes = "total_bytes";

// Origins mode (TORCH_TIDY_ORIGINS=1). Top level: "origins" with the
// survivor age, the warm-up and the modules that frames name; per site:
// "origins", the survivors summed per (user frames, operator).
inline constexpr const char *Origins = "origins";
inline constexpr const char *SurvivorAge = "survivor_age";
inline constexpr const char *WarmupIterations = "warmup_iterations";
inline constexpr const char *Modules = "modules";
inline constexpr const char *ModulePath = "path";
inline constexpr const char *BuildId = "build_id";
inline constexpr const char *UntaggedLiveBytes = "untagged_live_bytes";
inline constexpr const char *Op = "op";
inline constexpr const char *InBackward = "in_backward";
inline constexpr const char *Frames = "frames"; // [[module, offset], ...]
inline constexpr const char *Count = "count";
inline constexpr const char *Bytes = "bytes";
inline constexpr const char *BytesPerIteration = "bytes_per_iteration";
inline constexpr const char *FirstIteration = "first_iteration";
inline constexpr const char *LastIteration = "last_iteration";
inline constexpr const char *BirthIterations = "birth_iterations";
// Per site: surviving autograd nodes per (user frames, operator).
inline constexpr const char *GraphOrigins = "graph_origins";
inline constexpr const char *NodesPerIteration = "nodes_per_iteration";
inline constexpr const char *NodeTypes = "node_types";
inline constexpr const char *ChainsAcrossIterations = "chains_across_iterations";
inline constexpr const char *GraphNodesNotTracked = "graph_nodes_not_tracked";
// The user-frame cache: lookups, stack unwindings, audits (a cached entry
// checked by unwinding) and audits that found the entry wrong.
inline constexpr const char *StackLookups = "stack_lookups";
inline constexpr const char *StackUnwinds = "stack_unwinds";
inline constexpr const char *StackAudits = "stack_audits";
inline constexpr const char *StackAuditMismatches = "stack_audit_mismatches";
// Whether CUDA blocks are tagged too (from the caching allocator's history):
// "tagged", "not-in-use" (no device in use at a boundary yet) or
// "unavailable" (a CPU libtorch, or one older than 2.1). An origin of CUDA
// blocks names its device with CudaDevice ("device"); CPU origins have none.
inline constexpr const char *CudaBlocks = "cuda_blocks";
inline constexpr const char *CudaBlocksTagged = "tagged";
inline constexpr const char *CudaBlocksNotInUse = "not-in-use";
inline constexpr const char *CudaBlocksUnavailable = "unavailable";
// Per sample: the peak of each phase of the iteration that the boundary
// ends (docs/runtime.md), in order; only "forward" without a backward pass.
inline constexpr const char *Phases = "phases";
inline constexpr const char *PhaseName = "phase";
inline constexpr const char *PhaseForward = "forward";
inline constexpr const char *PhaseBackward = "backward";
inline constexpr const char *PhaseOptimizer = "optimizer";
inline constexpr const char *CudaPeakReservedBytes = "peak_reserved_bytes";
// Measured runs, backward phase: the peak of each window between node ends.
inline constexpr const char *CpuWindowPeaks = "cpu_window_peak_bytes";
inline constexpr const char *CudaWindowPeaks = "cuda_window_peak_reserved_bytes";
// Runs under `torch-tidy fit`: the iterations after which the probe ended
// the run, and the devices whose autocast was seen on.
inline constexpr const char *StoppedAfter = "stopped_after";
inline constexpr const char *Autocast = "autocast";

} // namespace torch_tidy::report

#endif // TORCH_TIDY_REPORT_SCHEMA_H
