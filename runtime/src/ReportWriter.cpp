#include "ReportWriter.h"
#include "AtomicFile.h"
#include "HostMemory.h"
#include "PhasePeaks.h"
#include "TorchCompat.h"

#include "torch_tidy/report_schema.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

namespace torch_tidy::probe {

void SiteSeries::add(const Sample &S) {
  // All at once: a series that grows its buffer as it goes would show the
  // probe's own memory as host heap growth of the loop it measures.
  if (Samples.capacity() == 0)
    Samples.reserve(MaxSamples);
  if (nextIterationIsSampled()) {
    Samples.push_back(S);
    if (Samples.size() >= MaxSamples) {
      // In place, so the buffer keeps its size.
      size_t Kept = 0;
      for (size_t I = 0; I < Samples.size(); I += 2)
        Samples[Kept++] = std::move(Samples[I]);
      Samples.resize(Kept);
      Stride *= 2;
    }
  }
  ++Iterations;
}

namespace {

const char *cudaBlocksName(CudaBlockOrigins State) {
  switch (State) {
  case CudaBlockOrigins::Tagged:
    return report::CudaBlocksTagged;
  case CudaBlockOrigins::NotInUse:
    return report::CudaBlocksNotInUse;
  case CudaBlockOrigins::Unavailable:
    break;
  }
  return report::CudaBlocksUnavailable;
}

nlohmann::json
renderOrigins(const std::map<SiteKey, std::vector<OriginSummary>> &Sites,
              const SiteKey &Key, bool Nodes) {
  namespace R = torch_tidy::report;
  nlohmann::json Out = nlohmann::json::array();
  auto Site = Sites.find(Key);
  if (Site == Sites.end())
    return Out;
  for (const OriginSummary &O : Site->second) {
    nlohmann::json Frames = nlohmann::json::array();
    for (const OriginFrame &F : O.Frames)
      Frames.push_back({F.Module, F.Offset});
    Out.push_back({{R::Op, O.Op},
                   {R::InBackward, O.InBackward},
                   {R::Frames, std::move(Frames)},
                   {R::Count, O.Count},
                   {R::Bytes, O.Bytes},
                   {R::BytesPerIteration, O.BytesPerIteration},
                   {R::FirstIteration, O.FirstIteration},
                   {R::LastIteration, O.LastIteration},
                   {R::BirthIterations, O.BirthIterations}});
    if (O.CudaDevice >= 0)
      Out.back()[R::CudaDevice] = O.CudaDevice;
    if (Nodes) {
      Out.back()[R::NodesPerIteration] = O.NodesPerIteration;
      Out.back()[R::NodeTypes] = O.NodeTypes;
      Out.back()[R::ChainsAcrossIterations] = O.ChainsAcrossIterations;
    }
  }
  return Out;
}

namespace R = torch_tidy::report;

nlohmann::json phasePeaksToJson(const IterationPhases &Phases) {
  nlohmann::json Out = nlohmann::json::array();
  const PhaseDetails *Details = Phases.Details.get();
  for (int I = 0; I < Phases.Count; ++I) {
    nlohmann::json J = {{R::PhaseName, phaseName(I)},
                        {R::CpuPeakBytes, Phases.CpuPeakBytes[I]}};
    if (Details && !Details->Cuda[I].empty()) {
      nlohmann::json Devices = nlohmann::json::array();
      for (const CudaPhasePeak &D : Details->Cuda[I])
        Devices.push_back({{R::CudaDevice, D.Device},
                           {R::CudaPeakAllocatedBytes, D.PeakAllocatedBytes},
                           {R::CudaPeakReservedBytes, D.PeakReservedBytes}});
      J[R::Cuda] = std::move(Devices);
    }
    // The windows belong to the backward phase.
    if (Details && I == 1 && !Details->CpuWindowPeaks.empty())
      J[R::CpuWindowPeaks] = Details->CpuWindowPeaks;
    if (Details && I == 1 && !Details->CudaWindowPeaks.empty())
      J[R::CudaWindowPeaks] = Details->CudaWindowPeaks;
    Out.push_back(std::move(J));
  }
  return Out;
}

void addMeasuredRun(const MeasuredRunState &Measured, nlohmann::json &Root) {
  if (Measured.StoppedAfter > 0)
    Root[R::StoppedAfter] = Measured.StoppedAfter;
  if (!Measured.AutocastDevices.empty())
    Root[R::Autocast] = Measured.AutocastDevices;
}

} // namespace

std::string renderReport(const ProbeSnapshot &Snapshot, bool Complete) {
  nlohmann::json Root;
  Root["schema"] = R::SchemaName;
  Root["version"] = R::SchemaVersion;
  Root[R::Pid] = static_cast<long>(getpid());
  Root[R::Complete] = Complete;
  Root[R::LibtorchVersion] = TORCH_TIDY_LIBTORCH_VERSION;
  Root[R::Host] = {{R::HostTotalBytes, hostTotalBytes()},
                   {R::HostAvailableBytes, hostAvailableBytes()}};
  nlohmann::json Sites = nlohmann::json::array();
  for (const auto &[Key, Series] : Snapshot.Sites) {
    nlohmann::json Samples = nlohmann::json::array();
    for (const Sample &S : Series.Samples) {
      nlohmann::json J = {{R::Iteration, S.Iteration},
                          {R::TimeNs, S.TimeNs},
                          {R::CpuTensorBytes, S.CpuTensorBytes},
                          {R::CpuPeakBytes, S.CpuPeakBytes},
                          {R::HostHeapBytes, S.HostHeapBytes},
                          {R::GradEnabled, S.GradEnabled},
                          {R::InferenceMode, S.InferenceMode}};
      if (!S.Cuda.empty()) {
        nlohmann::json Devices = nlohmann::json::array();
        for (const CudaDeviceSample &D : S.Cuda)
          Devices.push_back({{R::CudaDevice, D.Device},
                             {R::CudaAllocatedBytes, D.AllocatedBytes},
                             {R::CudaPeakAllocatedBytes, D.PeakAllocatedBytes},
                             {R::CudaReservedBytes, D.ReservedBytes},
                             {R::CudaFreeBytes, D.FreeBytes},
                             {R::CudaTotalBytes, D.TotalBytes}});
        J[R::Cuda] = std::move(Devices);
      }
      if (S.Phases.Count > 0)
        J[R::Phases] = phasePeaksToJson(S.Phases);
      Samples.push_back(std::move(J));
    }
    nlohmann::json Site = {
        {R::File, Key.File},        {R::Line, Key.Line},
        {R::Thread, Key.Thread},    {R::Iterations, Series.Iterations},
        {R::Stride, Series.Stride}, {R::Samples, std::move(Samples)}};
    if (!Key.Boundary.empty())
      Site[R::Boundary] = Key.Boundary;
    if (Snapshot.Origins.Enabled) {
      Site[R::Origins] = renderOrigins(Snapshot.Origins.Sites, Key, false);
      Site[R::GraphOrigins] =
          renderOrigins(Snapshot.Origins.GraphSites, Key, true);
    }
    Sites.push_back(std::move(Site));
  }
  Root[R::Sites] = std::move(Sites);
  if (const OriginsSnapshot &O = Snapshot.Origins; O.Enabled) {
    nlohmann::json Modules = nlohmann::json::array();
    for (const OriginModule &M : O.Modules)
      Modules.push_back({{R::ModulePath, M.Path}, {R::BuildId, M.BuildId}});
    Root[R::Origins] = {{R::SurvivorAge, O.SurvivorAge},
                        {R::WarmupIterations, O.WarmupIterations},
                        {R::UntaggedLiveBytes, O.UntaggedLiveBytes},
                        {R::GraphNodesNotTracked, O.GraphNodesNotTracked},
                        {R::StackLookups, O.StackLookups},
                        {R::StackUnwinds, O.StackUnwinds},
                        {R::StackAudits, O.StackAudits},
                        {R::StackAuditMismatches, O.StackAuditMismatches},
                        {R::CudaBlocks, cudaBlocksName(O.CudaBlocks)},
                        {R::Modules, std::move(Modules)}};
  }
  addMeasuredRun(Snapshot.Measured, Root);
  if (const auto &F = Snapshot.Failure) {
    nlohmann::json Failure = {{R::FailureKind, F->Kind},
                              {R::FailureMessage, F->Message},
                              {R::RequestedBytes, F->RequestedBytes},
                              {R::CpuTensorBytes, F->CpuTensorBytes},
                              {R::HostHeapBytes, F->HostHeapBytes}};
    if (F->CudaDevice) {
      Failure[R::FailureDevice] = *F->CudaDevice;
      Failure[R::FailureDeviceFreeBytes] = F->DeviceFreeBytes;
    }
    if (F->LastSite) {
      Failure[R::LastSite] = {{R::File, F->LastSite->File},
                              {R::Line, F->LastSite->Line},
                              {R::Thread, F->LastSite->Thread}};
      if (!F->LastSite->Boundary.empty())
        Failure[R::LastSite][R::Boundary] = F->LastSite->Boundary;
      Failure[R::Iteration] = F->Iteration;
    }
    Root[R::Failure] = std::move(Failure);
  }
  return Root.dump(1) + "\n";
}

bool writeFileAtomically(const std::string &Path, const std::string &Text,
                         std::string &Problem) {
  // Not fsync'ed: the report is rewritten every few iterations, and what it
  // must survive is the program being killed, not a power loss.
  return torch_tidy::writeFileAtomically(Path, Text, Problem,
                                         Durability::Closed);
}

bool writeFileAtomically(const std::string &Path, const std::string &Text) {
  std::string Ignored;
  return writeFileAtomically(Path, Text, Ignored);
}

std::string expandReportPath(const std::string &Pattern, long Pid) {
  std::string Path;
  for (size_t I = 0; I < Pattern.size(); ++I) {
    if (Pattern[I] == '%' && I + 1 < Pattern.size() && Pattern[I + 1] == 'p') {
      Path += std::to_string(Pid);
      ++I;
    } else {
      Path += Pattern[I];
    }
  }
  return Path;
}

} // namespace torch_tidy::probe
