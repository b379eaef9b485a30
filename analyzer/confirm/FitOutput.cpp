//===--- FitOutput.cpp - Printing `torch-tidy fit`'s answer ---------------===//

#include "FitOutput.h"
#include "ConfirmOutput.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace torch_tidy {

namespace {

std::string padLeft(const std::string &Text, size_t Width) {
  return Text.size() >= Width ? Text
                              : std::string(Width - Text.size(), ' ') + Text;
}

std::string percent(double Share) {
  char Buffer[16];
  std::snprintf(Buffer, sizeof(Buffer), "%.0f%%", Share * 100);
  return Buffer;
}

std::string signedBytes(double Bytes) {
  return (Bytes < 0 ? "-" : "+") + formatBytes(std::fabs(Bytes));
}

const char *targetName(FitTarget Target) {
  return Target == FitTarget::Cuda ? "cuda" : "cpu";
}

std::string phaseValue(const BatchMeasurement &M, const std::string &Phase,
                       bool OnDevice) {
  for (const PhaseMeasure &P : M.Phases)
    if (P.Phase == Phase)
      return formatBytes(OnDevice ? P.CudaReservedPeakBytes : P.CpuPeakBytes);
  return "-";
}

void printTable(const FitAnswer &A, std::ostringstream &Out) {
  Out << (A.OnDevice
              ? "measured (cuda:" +
                    std::to_string(A.Runs.front().CudaDevice.value_or(0)) +
                    " reserved bytes, largest over the iterations):\n"
              : std::string("measured (CPU tensor bytes, largest over "
                            "the iterations):\n"));
  const size_t Width = 12;
  Out << padLeft("batch size", Width) << padLeft("at boundary", Width);
  for (const PhaseFit &P : A.Phases)
    Out << padLeft(P.Phase, Width);
  Out << padLeft("peak", Width) << "\n";
  for (const BatchMeasurement &M : A.Runs) {
    Out << padLeft(std::to_string(M.BatchSize), Width);
    if (M.OutOfMemory) {
      Out << "  out of memory: does not fit (" << M.OutOfMemoryDetail << ")\n";
      continue;
    }
    Out << padLeft(
        formatBytes(A.OnDevice ? M.BoundaryCudaBytes : M.BoundaryCpuBytes),
        Width);
    for (const PhaseFit &P : A.Phases)
      Out << padLeft(phaseValue(M, P.Phase, A.OnDevice), Width);
    Out << padLeft(formatBytes(M.peakBytes(A.OnDevice)), Width) << "\n";
  }
}

void printFit(const FitAnswer &A, std::ostringstream &Out) {
  Out << "fit (bytes = fixed + per sample x batch size; largest residual):\n";
  auto Line = [&](const std::string &Name, const LineFit &F) {
    Out << "  " << Name
        << std::string(Name.size() < 12 ? 12 - Name.size() : 0, ' ')
        << formatBytes(F.Intercept) << " " << signedBytes(F.Slope).substr(0, 1)
        << " " << formatBytes(std::fabs(F.Slope)) << "/sample  (residual "
        << formatBytes(F.MaxAbsResidual)
        << (F.Checked ? (F.Linear ? ", linear" : ", NOT linear")
                      : ", two points: linearity unchecked")
        << ")\n";
  };
  Line("at boundary", A.Boundary);
  for (const PhaseFit &P : A.Phases) {
    Line(P.Phase, P.Fit);
    if (!P.Windows.empty())
      Out << "  " << std::string(12, ' ') << "and " << P.Windows.size()
          << " windows between autograd nodes, each fitted (largest residual "
          << formatBytes(P.largestResidual()) << ", "
          << (P.linear() ? "linear" : "NOT linear")
          << "): the peak follows the highest\n";
  }
}

void printOverhead(const FitAnswer &A, std::ostringstream &Out) {
  const DeviceOverhead &O = A.Overhead;
  if (O.Source == "none") {
    Out << "device overhead: none (--target=cpu: the memory is host memory "
           "for CPU tensors)\n";
    return;
  }
  if (O.Source == "measured") {
    Out << "device overhead (measured on the GPU): "
        << formatBytes(O.ContextBytes)
        << " outside the caching allocator (CUDA context, library "
           "workspaces); the reserved bytes above include its rounding\n";
    return;
  }
  Out << "device overhead (model, not measured; --target=cuda): CUDA context "
      << formatBytes(O.ContextBytes) << " + library workspaces "
      << formatBytes(O.WorkspaceBytes) << " + caching allocator rounding "
      << percent(O.RoundingShare) << " of the peak ("
      << formatBytes(O.at(A.PredictedPeakBytes)) << " in all at the answer)\n";
}

void printMixedPrecision(const FitAnswer &A, std::ostringstream &Out) {
  const MixedPrecision &M = A.Mixed;
  if (M.AtBatchSize <= 0)
    return;
  Out << "activations: " << formatBytes(M.ActivationBytes) << ", "
      << percent(M.ActivationShare) << " of the peak at batch size "
      << M.AtBatchSize << "\n";
  if (M.Measured) {
    std::string Devices;
    for (const std::string &D : M.AutocastDevices)
      Devices += (Devices.empty() ? "" : ", ") + D;
    Out << "mixed precision: measured: the program runs under autocast ("
        << Devices << "), so the peaks above already include it\n";
    return;
  }
  Out << "mixed precision (estimate, not measured): autocast to "
         "bfloat16/float16 keeps activations in 2 bytes instead of 4, saving "
         "about "
      << formatBytes(M.EstimatedSavingBytes) << " at batch size "
      << M.AtBatchSize << "; largest batch size at most about "
      << (M.EstimatedLargestBatchSize
              ? std::to_string(*M.EstimatedLargestBatchSize)
              : std::string("unbounded"))
      << "\n";
}

} // namespace

std::string fitToText(const FitAnswer &A) {
  std::ostringstream Out;
  printTable(A, Out);
  printFit(A, Out);
  Out << "the peak is set by the " << A.LimitingPhase << " phase\n";
  printOverhead(A, Out);
  Out << "memory " << formatBytes(static_cast<double>(A.Options.MemoryBytes))
      << " (--target=" << targetName(A.Options.Target) << "), safety margin "
      << percent(A.Options.SafetyMargin) << " (" << formatBytes(A.MarginBytes)
      << ")\n";
  if (!A.LargestBatchSize) {
    Out << "largest batch size that fits: any (the peak does not grow with "
           "the batch size)\n";
  } else if (*A.LargestBatchSize == 0) {
    Out << "largest batch size that fits: none: even batch size 1 needs "
        << formatBytes(A.PredictedPeakBytes) << " of tensors\n";
  } else {
    Out << "largest batch size that fits: " << *A.LargestBatchSize
        << " (predicted peak " << formatBytes(A.PredictedPeakBytes);
    if (A.Overhead.Source != "none")
      Out << " + device overhead "
          << formatBytes(A.Overhead.at(A.PredictedPeakBytes));
    Out << ")\n";
  }
  if (A.ForTargetBatch) {
    const Accumulation &Acc = *A.ForTargetBatch;
    Out << "target batch " << *A.Options.TargetBatch << ": ";
    if (Acc.Steps <= 1)
      Out << "fits in one step\n";
    else
      Out << "batch size " << Acc.MicroBatchSize << " x " << Acc.Steps
          << " gradient-accumulation steps"
          << (Acc.LastMicroBatchSize != Acc.MicroBatchSize
                  ? " (the last with " +
                        std::to_string(Acc.LastMicroBatchSize) + ")"
                  : std::string())
          << "\n";
  }
  if (A.Prediction) {
    Out << "predicted at batch size " << A.Prediction->BatchSize << ":";
    for (const auto &[Phase, Bytes] : A.Prediction->Phases)
      Out << " " << Phase << " " << formatBytes(Bytes) << ",";
    Out << " peak " << formatBytes(A.Prediction->PeakBytes) << "\n";
  }
  printMixedPrecision(A, Out);
  for (const std::string &W : A.Warnings)
    Out << "warning: " << W << "\n";
  return Out.str();
}

nlohmann::json fitToJson(const FitAnswer &A) {
  nlohmann::json Out;
  Out["schema"] = "torch-tidy-fit";
  Out["version"] = 1;
  Out["memory_bytes"] = A.Options.MemoryBytes;
  Out["target"] = targetName(A.Options.Target);
  Out["safety_margin"] = A.Options.SafetyMargin;
  Out["measured_on"] = A.OnDevice ? "cuda" : "cpu";
  nlohmann::json Measured = nlohmann::json::array();
  for (const BatchMeasurement &M : A.Runs) {
    nlohmann::json Row = {{"batch_size", M.BatchSize},
                          {"out_of_memory", M.OutOfMemory}};
    if (M.OutOfMemory) {
      Row["detail"] = M.OutOfMemoryDetail;
    } else {
      Row["iterations"] = M.Iterations;
      Row["boundary_bytes"] =
          A.OnDevice ? M.BoundaryCudaBytes : M.BoundaryCpuBytes;
      nlohmann::json Phases = nlohmann::json::object();
      for (const PhaseMeasure &P : M.Phases) {
        nlohmann::json J = {{"cpu_peak_bytes", P.CpuPeakBytes}};
        if (M.CudaDevice) {
          J["cuda_peak_allocated_bytes"] = P.CudaAllocatedPeakBytes;
          J["cuda_peak_reserved_bytes"] = P.CudaReservedPeakBytes;
        }
        Phases[P.Phase] = J;
      }
      Row["phases"] = Phases;
      Row["peak_bytes"] = M.peakBytes(A.OnDevice);
      if (!M.AutocastDevices.empty())
        Row["autocast"] = M.AutocastDevices;
    }
    Measured.push_back(Row);
  }
  Out["measured"] = Measured;
  auto LineJson = [](const LineFit &F) {
    nlohmann::json J = {{"fixed_bytes", F.Intercept},
                        {"bytes_per_sample", F.Slope},
                        {"residual_bytes", F.Residuals},
                        {"linear", F.Linear},
                        {"linearity_checked", F.Checked}};
    if (!F.Linear)
      J["extrapolation"] = {{"fixed_bytes", F.ExtrapolationIntercept},
                            {"bytes_per_sample", F.ExtrapolationSlope}};
    return J;
  };
  nlohmann::json Fit = {{"boundary", LineJson(A.Boundary)}};
  nlohmann::json Phases = nlohmann::json::object();
  for (const PhaseFit &P : A.Phases) {
    Phases[P.Phase] = LineJson(P.Fit);
    Phases[P.Phase]["linear"] = P.linear();
    if (!P.Windows.empty())
      Phases[P.Phase]["windows"] = {
          {"count", P.Windows.size()},
          {"largest_residual_bytes", P.largestResidual()}};
  }
  Fit["phases"] = Phases;
  Out["fit"] = Fit;
  Out["limiting_phase"] = A.LimitingPhase;
  Out["device_overhead"] = {
      {"source", A.Overhead.Source},
      {"context_bytes", A.Overhead.ContextBytes},
      {"workspace_bytes", A.Overhead.WorkspaceBytes},
      {"rounding_share", A.Overhead.RoundingShare},
      {"bytes_at_answer", A.Overhead.at(A.PredictedPeakBytes)}};
  Out["margin_bytes"] = A.MarginBytes;
  Out["largest_batch_size"] = A.LargestBatchSize
                                  ? nlohmann::json(*A.LargestBatchSize)
                                  : nlohmann::json();
  Out["predicted_peak_bytes"] = A.PredictedPeakBytes;
  if (A.ForTargetBatch)
    Out["target_batch"] = {
        {"batch_size", *A.Options.TargetBatch},
        {"micro_batch_size", A.ForTargetBatch->MicroBatchSize},
        {"accumulation_steps", A.ForTargetBatch->Steps},
        {"last_micro_batch_size", A.ForTargetBatch->LastMicroBatchSize}};
  if (A.Prediction) {
    nlohmann::json Phases = nlohmann::json::object();
    for (const auto &[Phase, Bytes] : A.Prediction->Phases)
      Phases[Phase] = Bytes;
    Out["prediction"] = {{"batch_size", A.Prediction->BatchSize},
                         {"phases", Phases},
                         {"peak_bytes", A.Prediction->PeakBytes}};
  }
  nlohmann::json Mixed = {{"measured", A.Mixed.Measured},
                          {"at_batch_size", A.Mixed.AtBatchSize},
                          {"activation_bytes", A.Mixed.ActivationBytes},
                          {"activation_share", A.Mixed.ActivationShare}};
  if (A.Mixed.Measured) {
    Mixed["autocast"] = A.Mixed.AutocastDevices;
  } else {
    Mixed["estimate"] = {
        {"saving_bytes", A.Mixed.EstimatedSavingBytes},
        {"largest_batch_size",
         A.Mixed.EstimatedLargestBatchSize
             ? nlohmann::json(*A.Mixed.EstimatedLargestBatchSize)
             : nlohmann::json()}};
  }
  Out["mixed_precision"] = Mixed;
  Out["warnings"] = A.Warnings;
  return Out;
}

} // namespace torch_tidy
