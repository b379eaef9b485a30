// The runtime report: its schema, its bounded series and its atomic write.
#include "ReportWriter.h"
#include "RuntimeReport.h"

#include "torch_tidy/report_schema.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace torch_tidy::probe {
namespace {

Sample sampleAt(int64_t Iteration) {
  return Sample{
      Iteration,       Iteration * 10, Iteration * 100, Iteration * 200,
      Iteration * 300, true,           false,           {}, {}};
}

TEST(ReportWriterTest, RendersTheSchemaConfirmReads) {
  ProbeSnapshot Snapshot;
  SiteSeries &Series = Snapshot.Sites[SiteKey{"train.cpp", 42, 0, ""}];
  for (int64_t I = 0; I < 3; ++I) {
    Sample S = sampleAt(I);
    Series.add(S);
  }
  nlohmann::json Report = nlohmann::json::parse(renderReport(Snapshot, true));
  EXPECT_EQ(Report["schema"], report::SchemaName);
  EXPECT_EQ(Report["version"], report::SchemaVersion);
  EXPECT_EQ(Report[report::Complete], true);
  EXPECT_GT(Report[report::Host][report::HostTotalBytes].get<int64_t>(), 0);
  ASSERT_EQ(Report[report::Sites].size(), 1u);
  const nlohmann::json &Site = Report[report::Sites][0];
  EXPECT_EQ(Site[report::File], "train.cpp");
  EXPECT_EQ(Site[report::Line], 42);
  EXPECT_EQ(Site[report::Iterations], 3);
  ASSERT_EQ(Site[report::Samples].size(), 3u);
  EXPECT_EQ(Site[report::Samples][2][report::CpuTensorBytes], 200);
  EXPECT_EQ(Site[report::Samples][2][report::HostHeapBytes], 600);
}

TEST(ReportWriterTest, LongRunsKeepABoundedEvenlySpacedSeries) {
  SiteSeries Series;
  const int64_t Iterations = SiteSeries::MaxSamples * 5 + 17;
  for (int64_t I = 0; I < Iterations; ++I)
    Series.add(sampleAt(I));
  EXPECT_EQ(Series.Iterations, Iterations);
  EXPECT_LT(Series.Samples.size(), SiteSeries::MaxSamples);
  EXPECT_GE(Series.Samples.size(), SiteSeries::MaxSamples / 4);
  for (size_t I = 1; I < Series.Samples.size(); ++I)
    EXPECT_EQ(Series.Samples[I].Iteration - Series.Samples[I - 1].Iteration,
              Series.Stride)
        << "at sample " << I;
}

TEST(ReportWriterTest, AtomicWriteReplacesTheFileAndLeavesNoTemporary) {
  std::filesystem::path Dir =
      std::filesystem::temp_directory_path() / "torch_tidy_report_writer_test";
  std::filesystem::remove_all(Dir);
  std::filesystem::create_directories(Dir);
  std::string Path = (Dir / "report.json").string();
  ASSERT_TRUE(writeFileAtomically(Path, "first"));
  ASSERT_TRUE(writeFileAtomically(Path, "second"));
  std::ifstream In(Path);
  std::stringstream Text;
  Text << In.rdbuf();
  EXPECT_EQ(Text.str(), "second");
  int Files = 0;
  for (const auto &Entry : std::filesystem::directory_iterator(Dir)) {
    (void)Entry;
    ++Files;
  }
  EXPECT_EQ(Files, 1);
  EXPECT_FALSE(writeFileAtomically((Dir / "missing" / "r.json").string(), "x"));
  std::filesystem::remove_all(Dir);
}

TEST(ReportWriterTest, ExpandsTheProcessIdInTheReportPath) {
  EXPECT_EQ(expandReportPath("out/report-%p.json", 123), "out/report-123.json");
  EXPECT_EQ(expandReportPath("plain.json", 123), "plain.json");
  EXPECT_EQ(expandReportPath("100%", 7), "100%");
}

TEST(ReportWriterTest, ThreadsFailuresAndCudaReadingsRoundTripThroughConfirm) {
  ProbeSnapshot Snapshot;
  SiteKey Key{"train.cpp", 42, 3, ""};
  Sample S = sampleAt(0);
  S.Cuda.push_back({1, 4096, 8192, 1 << 20, 5 << 20, 8 << 20});
  Snapshot.Sites[Key].add(S);
  FailureRecord F;
  F.Kind = report::FailureKindCpuOom;
  F.Message = "DefaultCPUAllocator: can't allocate memory";
  F.RequestedBytes = 1 << 30;
  F.CpuTensorBytes = 123;
  F.HostHeapBytes = 456;
  F.LastSite = Key;
  F.Iteration = 7;
  Snapshot.Failure = F;
  std::string Path = testing::TempDir() + "roundtrip-report.json";
  ASSERT_TRUE(writeFileAtomically(Path, renderReport(Snapshot, false)));

  torch_tidy::RuntimeReport Read = torch_tidy::readRuntimeReport(Path);
  EXPECT_FALSE(Read.Complete);
  ASSERT_EQ(Read.Sites.size(), 1u);
  EXPECT_EQ(Read.Sites[0].Thread, 3);
  ASSERT_EQ(Read.Sites[0].Samples[0].Cuda.size(), 1u);
  EXPECT_EQ(Read.Sites[0].Samples[0].Cuda[0].Device, 1);
  EXPECT_EQ(Read.Sites[0].Samples[0].Cuda[0].AllocatedBytes, 4096);
  EXPECT_EQ(Read.Sites[0].Samples[0].Cuda[0].FreeBytes, 5 << 20);
  ASSERT_TRUE(Read.Failure);
  EXPECT_EQ(Read.Failure->Kind, "cpu-out-of-memory");
  EXPECT_EQ(Read.Failure->Message, F.Message);
  EXPECT_EQ(Read.Failure->RequestedBytes, 1 << 30);
  EXPECT_EQ(Read.Failure->CpuTensorBytes, 123);
  EXPECT_EQ(Read.Failure->HostHeapBytes, 456);
  ASSERT_TRUE(Read.Failure->LastSite);
  EXPECT_EQ(Read.Failure->LastSite->Line, 42);
  EXPECT_EQ(Read.Failure->LastSite->Thread, 3);
  EXPECT_EQ(Read.Failure->Iteration, 7);
  std::remove(Path.c_str());
}

TEST(ReportWriterTest, AutomaticSitesAndCudaFailuresRoundTripThroughConfirm) {
  ProbeSnapshot Snapshot;
  SiteKey Key{"", 0, 0, report::BoundaryBackwardPass};
  Sample S = sampleAt(0);
  S.InferenceMode = true;
  S.Cuda.push_back({0, 4096, 65536, 1 << 20, 5 << 20, 8 << 20});
  Snapshot.Sites[Key].add(S);
  FailureRecord F;
  F.Kind = report::FailureKindCudaOom;
  F.Message = "CUDA out of memory";
  F.RequestedBytes = 3 << 20;
  F.CudaDevice = 0;
  F.DeviceFreeBytes = 1 << 20;
  F.LastSite = Key;
  F.Iteration = 11;
  Snapshot.Failure = F;
  std::string Path = testing::TempDir() + "automatic-report.json";
  ASSERT_TRUE(writeFileAtomically(Path, renderReport(Snapshot, true)));

  torch_tidy::RuntimeReport Read = torch_tidy::readRuntimeReport(Path);
  ASSERT_EQ(Read.Sites.size(), 1u);
  EXPECT_TRUE(Read.Sites[0].isAutomatic());
  EXPECT_EQ(Read.Sites[0].Boundary, "backward-pass");
  EXPECT_TRUE(Read.Sites[0].Samples[0].InferenceMode);
  EXPECT_EQ(Read.Sites[0].Samples[0].Cuda[0].PeakAllocatedBytes, 65536);
  ASSERT_TRUE(Read.Failure);
  EXPECT_EQ(Read.Failure->Kind, "cuda-out-of-memory");
  ASSERT_TRUE(Read.Failure->CudaDevice);
  EXPECT_EQ(*Read.Failure->CudaDevice, 0);
  EXPECT_EQ(Read.Failure->DeviceFreeBytes, 1 << 20);
  ASSERT_TRUE(Read.Failure->LastSite);
  EXPECT_EQ(Read.Failure->LastSite->Boundary, "backward-pass");
  EXPECT_EQ(Read.Failure->Iteration, 11);
  std::remove(Path.c_str());
}

TEST(ReportWriterTest, CudaOriginsRoundTripThroughConfirm) {
  ProbeSnapshot Snapshot;
  SiteKey Key{"train.cpp", 42, 0, ""};
  Snapshot.Sites[Key].add(sampleAt(0));
  OriginsSnapshot &O = Snapshot.Origins;
  O.Enabled = true;
  O.CudaBlocks = CudaBlockOrigins::Tagged;
  O.StackLookups = 40;
  O.StackUnwinds = 3;
  O.Modules.push_back({"/bin/train", "ab"});
  OriginSummary Cpu, Cuda;
  Cpu.Op = Cuda.Op = "aten::clone";
  Cpu.Frames = Cuda.Frames = {{0, 0x101}};
  Cpu.BytesPerIteration = 4096;
  Cuda.BytesPerIteration = 65536;
  Cuda.CudaDevice = 1;
  O.Sites[Key] = {Cuda, Cpu};
  nlohmann::json Report = nlohmann::json::parse(renderReport(Snapshot, true));
  EXPECT_EQ(Report[report::Origins][report::CudaBlocks], "tagged");
  EXPECT_EQ(Report[report::Origins][report::StackLookups], 40);
  EXPECT_EQ(Report[report::Origins][report::StackUnwinds], 3);
  const nlohmann::json &Origins = Report[report::Sites][0][report::Origins];
  EXPECT_EQ(Origins[0][report::CudaDevice], 1);
  EXPECT_FALSE(Origins[1].contains(report::CudaDevice)); // CPU tensors.

  std::string Path = testing::TempDir() + "cuda-origins-report.json";
  ASSERT_TRUE(writeFileAtomically(Path, renderReport(Snapshot, true)));
  torch_tidy::RuntimeReport Read = torch_tidy::readRuntimeReport(Path);
  ASSERT_EQ(Read.Sites.size(), 1u);
  ASSERT_EQ(Read.Sites[0].Origins.size(), 2u);
  EXPECT_EQ(Read.Sites[0].Origins[0].CudaDevice, 1);
  EXPECT_EQ(Read.Sites[0].Origins[1].CudaDevice, -1);
  std::remove(Path.c_str());
}

TEST(ReportWriterTest, ReportsWithoutTheNewFieldsStillRead) {
  // A report as the first version-1 probe wrote it.
  std::string Path = testing::TempDir() + "old-report.json";
  ASSERT_TRUE(writeFileAtomically(Path, R"({
    "schema": "torch-tidy-runtime-report", "version": 1, "pid": 1,
    "complete": true, "libtorch_version": "1.13.0",
    "host": {"total_bytes": 100, "available_bytes": 50},
    "sites": [{"file": "a.cpp", "line": 3, "iterations": 1, "stride": 1,
      "samples": [{"iteration": 0, "time_ns": 1, "cpu_tensor_bytes": 2,
        "cpu_peak_bytes": 2, "host_heap_bytes": 9, "grad_enabled": true,
        "inference_mode": false}]}]})"));
  torch_tidy::RuntimeReport Read = torch_tidy::readRuntimeReport(Path);
  ASSERT_EQ(Read.Sites.size(), 1u);
  EXPECT_EQ(Read.Sites[0].Thread, 0);
  EXPECT_TRUE(Read.Sites[0].Samples[0].Cuda.empty());
  EXPECT_FALSE(Read.Failure);
  std::remove(Path.c_str());
}

} // namespace
} // namespace torch_tidy::probe
