//===--- MergeCommand.cpp - `torch-tidy merge` ----------------------------===//

#include "MergeCommand.h"
#include "AtomicFile.h"
#include "ExitCodes.h"
#include "ReportFormats.h"

#include "InputError.h"

#include <filesystem>
#include <iostream>
#include <set>

namespace torch_tidy {

namespace {

int fail(const std::string &Message) {
  std::cerr << "torch-tidy merge: error: " << Message << "\n";
  return ExitUsageError;
}

} // namespace

int runMergeCommand(int Argc, const char **Argv) {
  ReportFormat Format = ReportFormat::Json;
  std::string OutputPath;
  std::string SourceRoot = std::filesystem::current_path().string();
  std::vector<std::string> Inputs;
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    auto Value = [&](const std::string &Name) {
      return Arg.substr(Name.size() + 1);
    };
    if (Arg.rfind("--format=", 0) == 0) {
      auto Parsed = parseReportFormat(Value("--format"));
      if (!Parsed || *Parsed == ReportFormat::Clang)
        return fail("--format must be json, sarif, github or gitlab");
      Format = *Parsed;
    } else if (Arg.rfind("--output=", 0) == 0) {
      OutputPath = Value("--output");
    } else if (Arg.rfind("--source-root=", 0) == 0) {
      SourceRoot = std::filesystem::absolute(Value("--source-root")).string();
    } else if (Arg.rfind("--", 0) == 0) {
      return fail("unknown argument '" + Arg + "'");
    } else {
      Inputs.push_back(Arg);
    }
  }
  if (Inputs.empty())
    return fail("no findings files to merge");

  ReportInput Merged;
  Merged.SourceRoot = SourceRoot;
  std::set<std::string> Seen; // A file analysed by two shards counts once.
  try {
    for (const std::string &Path : Inputs) {
      nlohmann::json Root = readJsonFile(Path);
      for (Finding &F : readFindingsJson(Root, Path))
        if (Seen.insert(F.Id + '\0' + F.File).second)
          Merged.Findings.push_back(std::move(F));
      for (AnalysisError &E : readAnalysisErrorsJson(Root, Path))
        Merged.Errors.push_back(std::move(E));
    }
  } catch (const InputError &Problem) {
    return fail(Problem.what());
  }
  std::string Report = renderReport(Format, Merged);
  std::string Problem;
  bool Written = OutputPath.empty()
                     ? writeStandardOutput(Report, Problem)
                     : writeFileAtomically(OutputPath, Report, Problem);
  return Written ? ExitSuccess : fail(Problem);
}

} // namespace torch_tidy
