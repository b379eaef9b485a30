//===--- RuntimeReport.cpp - Reading the probe's reports ------------------===//

#include "RuntimeReport.h"
#include "InputError.h"

#include "torch_tidy/report_schema.h"

namespace torch_tidy {

namespace {

SiteOrigin readOrigin(const nlohmann::json &O, size_t ModuleCount) {
  SiteOrigin Origin;
  Origin.Op = O.value(report::Op, "");
  Origin.InBackward = O.value(report::InBackward, false);
  Origin.CudaDevice = O.value(report::CudaDevice, -1);
  for (const nlohmann::json &F : O.at(report::Frames)) {
    SiteOrigin::Frame Frame{F.at(0).get<int>(), F.at(1).get<uint64_t>()};
    if (Frame.Module < 0 || static_cast<size_t>(Frame.Module) >= ModuleCount)
      throw nlohmann::json::other_error::create(
          501, "an origin's frame names module " +
                   std::to_string(Frame.Module) + ", which is not listed",
          nullptr);
    Origin.Frames.push_back(Frame);
  }
  Origin.Count = O.at(report::Count).get<int64_t>();
  Origin.Bytes = O.at(report::Bytes).get<int64_t>();
  Origin.BytesPerIteration = O.at(report::BytesPerIteration).get<double>();
  Origin.FirstIteration = O.value(report::FirstIteration, int64_t(0));
  Origin.LastIteration = O.value(report::LastIteration, int64_t(0));
  Origin.BirthIterations = O.value(report::BirthIterations, int64_t(0));
  Origin.NodesPerIteration = O.value(report::NodesPerIteration, 0.0);
  Origin.NodeTypes =
      O.value(report::NodeTypes, std::vector<std::string>{});
  Origin.ChainsAcrossIterations =
      O.value(report::ChainsAcrossIterations, false);
  return Origin;
}

/// The sample's "phases" (probes that predate them write none).
std::vector<PhasePeak> readPhasePeaks(const nlohmann::json &Sample) {
  std::vector<PhasePeak> Phases;
  auto Found = Sample.find(report::Phases);
  if (Found == Sample.end())
    return Phases;
  for (const nlohmann::json &J : *Found) {
    PhasePeak P;
    P.Phase = J.at(report::PhaseName).get<std::string>();
    P.CpuPeakBytes = J.at(report::CpuPeakBytes).get<int64_t>();
    if (auto Cuda = J.find(report::Cuda); Cuda != J.end())
      for (const nlohmann::json &D : *Cuda)
        P.Cuda.push_back(
            {D.at(report::CudaDevice).get<int>(),
             D.at(report::CudaPeakAllocatedBytes).get<int64_t>(),
             D.value(report::CudaPeakReservedBytes, int64_t(0))});
    P.CpuWindowPeaks =
        J.value(report::CpuWindowPeaks, std::vector<int64_t>());
    P.CudaWindowPeaks =
        J.value(report::CudaWindowPeaks, std::vector<int64_t>());
    Phases.push_back(std::move(P));
  }
  return Phases;
}

} // namespace

RuntimeReport readRuntimeReport(const std::string &Path) {
  nlohmann::json Root = readJsonFile(Path);
  if (!Root.is_object() || Root.value("schema", "") != report::SchemaName)
    throw InputError(Path, std::string("not a torch-tidy runtime report "
                                       "(expected \"schema\": \"") +
                               report::SchemaName + "\")");
  int Version = Root.value("version", 0);
  if (Version != report::SchemaVersion)
    throw InputError(Path, "runtime report version " + std::to_string(Version) +
                               " is not supported (this build reads " +
                               std::to_string(report::SchemaVersion) + ")");
  RuntimeReport Report;
  Report.Path = Path;
  try {
    Report.Complete = Root.value(report::Complete, false);
    Report.HostAvailableBytes =
        Root.at(report::Host).at(report::HostAvailableBytes).get<int64_t>();
    if (auto Origins = Root.find(report::Origins); Origins != Root.end()) {
      Report.HasOrigins = true;
      Report.SurvivorAge = Origins->at(report::SurvivorAge).get<int>();
      for (const nlohmann::json &M : Origins->at(report::Modules))
        Report.Modules.push_back({M.at(report::ModulePath).get<std::string>(),
                                  M.value(report::BuildId, "")});
    }
    for (const nlohmann::json &S : Root.at(report::Sites)) {
      ProbeSite Site;
      Site.File = S.at(report::File).get<std::string>();
      Site.Line = S.at(report::Line).get<int>();
      Site.Thread = S.value(report::Thread, 0); // Older reports: one thread.
      Site.Boundary = S.value(report::Boundary, "");
      for (const nlohmann::json &J : S.at(report::Samples)) {
        IterationSample Sample;
        Sample.Iteration = J.at(report::Iteration).get<int64_t>();
        Sample.TimeNs = J.value(report::TimeNs, int64_t(0));
        Sample.CpuTensorBytes = J.at(report::CpuTensorBytes).get<int64_t>();
        Sample.CpuPeakBytes = J.at(report::CpuPeakBytes).get<int64_t>();
        Sample.HostHeapBytes = J.at(report::HostHeapBytes).get<int64_t>();
        Sample.GradEnabled = J.at(report::GradEnabled).get<bool>();
        Sample.InferenceMode = J.value(report::InferenceMode, false);
        if (auto Cuda = J.find(report::Cuda); Cuda != J.end())
          for (const nlohmann::json &D : *Cuda)
            Sample.Cuda.push_back(
                {D.at(report::CudaDevice).get<int>(),
                 D.at(report::CudaAllocatedBytes).get<int64_t>(),
                 D.value(report::CudaFreeBytes, int64_t(0)),
                 D.value(report::CudaPeakAllocatedBytes, int64_t(0)),
                 D.value(report::CudaReservedBytes, int64_t(0)),
                 D.value(report::CudaTotalBytes, int64_t(0))});
        Sample.Phases = readPhasePeaks(J);
        Site.Samples.push_back(Sample);
      }
      if (auto Origins = S.find(report::Origins); Origins != S.end())
        for (const nlohmann::json &O : *Origins)
          Site.Origins.push_back(readOrigin(O, Report.Modules.size()));
      if (auto Graph = S.find(report::GraphOrigins); Graph != S.end())
        for (const nlohmann::json &O : *Graph)
          Site.GraphOrigins.push_back(readOrigin(O, Report.Modules.size()));
      Report.Sites.push_back(std::move(Site));
    }
    Report.StoppedAfter = Root.value(report::StoppedAfter, int64_t(0));
    Report.AutocastDevices =
        Root.value(report::Autocast, std::vector<std::string>());
    if (auto F = Root.find(report::Failure); F != Root.end()) {
      RuntimeFailure Failure;
      Failure.Kind = F->at(report::FailureKind).get<std::string>();
      Failure.Message = F->value(report::FailureMessage, "");
      Failure.RequestedBytes = F->at(report::RequestedBytes).get<int64_t>();
      Failure.CpuTensorBytes = F->at(report::CpuTensorBytes).get<int64_t>();
      Failure.HostHeapBytes = F->at(report::HostHeapBytes).get<int64_t>();
      if (auto Device = F->find(report::FailureDevice); Device != F->end()) {
        Failure.CudaDevice = Device->get<int>();
        Failure.DeviceFreeBytes =
            F->value(report::FailureDeviceFreeBytes, int64_t(0));
      }
      if (auto Last = F->find(report::LastSite); Last != F->end()) {
        ProbeSite Site;
        Site.File = Last->at(report::File).get<std::string>();
        Site.Line = Last->at(report::Line).get<int>();
        Site.Thread = Last->value(report::Thread, 0);
        Site.Boundary = Last->value(report::Boundary, "");
        Failure.LastSite = std::move(Site);
        Failure.Iteration = F->at(report::Iteration).get<int64_t>();
      }
      Report.Failure = std::move(Failure);
    }
  } catch (const nlohmann::json::exception &Error) {
    throw InputError(Path,
                     std::string("malformed runtime report: ") + Error.what());
  }
  return Report;
}

} // namespace torch_tidy
