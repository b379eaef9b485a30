// The runtime report: its schema, its bounded series and its atomic write.
#include "ReportWriter.h"

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
  return Sample{Iteration, Iteration * 10, Iteration * 100, Iteration * 200,
                Iteration * 300, true, false, {}};
}

TEST(ReportWriterTest, RendersTheSchemaConfirmReads) {
  ProbeSnapshot Snapshot;
  SiteSeries &Series = Snapshot.Sites[SiteKey{"train.cpp", 42, 0}];
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

} // namespace
} // namespace torch_tidy::probe
