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

} // namespace torch_tidy::report

#endif // TORCH_TIDY_REPORT_SCHEMA_H
