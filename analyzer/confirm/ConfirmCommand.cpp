//===--- ConfirmCommand.cpp - `torch-tidy confirm` ------------------------===//

#include "ConfirmCommand.h"
#include "AtomicFile.h"
#include "ConfirmOutput.h"
#include "ExitCodes.h"
#include "InputError.h"
#include "Leads.h"
#include "MemoryChart.h"
#include "SourcePaths.h"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <unistd.h>

namespace torch_tidy {

namespace {

const char Usage[] =
    "usage: torch-tidy confirm --findings FILE --runtime REPORT "
    "[--runtime REPORT...]\n"
    "                          [--format=text|json|sarif|github] "
    "[--output FILE]\n"
    "                          [--chart FILE.svg] [--source-root DIR]\n"
    "                          [--warmup N] [--min-growth BYTES] "
    "[--min-tau X]\n"
    "Joins torch-tidy findings (--format=json) with runtime reports of the\n"
    "probe: each finding is confirmed, not confirmed or not exercised.\n"
    "--chart writes an SVG chart of memory per iteration per probe site.\n"
    "Reports written with TORCH_TIDY_ORIGINS=1 also name the lines that\n"
    "allocated what each growing site keeps, relative to --source-root\n"
    "(default: the current directory); sarif and github list confirmed\n"
    "findings and growth no rule explains (torch-runtime-growth).\n";

struct ConfirmArgs {
  std::string FindingsPath;
  std::vector<std::string> ReportPaths;
  std::string Format = "text";
  std::string OutputPath;
  std::string ChartPath;
  std::string SourceRoot;
  ConfirmOptions Options;
};

int usageError(const std::string &Message) {
  std::cerr << "torch-tidy confirm: error: " << Message << "\n" << Usage;
  return ExitUsageError;
}

/// Parses `--name value` and `--name=value`; returns false with a message.
bool parseArgs(int Argc, const char **Argv, ConfirmArgs &Args,
               std::string &Error) {
  for (int I = 1; I < Argc; ++I) {
    std::string Arg = Argv[I];
    std::string Name = Arg, Value;
    bool HasInlineValue = false;
    if (auto Eq = Arg.find('=');
        Arg.rfind("--", 0) == 0 && Eq != std::string::npos) {
      Name = Arg.substr(0, Eq);
      Value = Arg.substr(Eq + 1);
      HasInlineValue = true;
    }
    auto TakeValue = [&]() -> bool {
      if (HasInlineValue)
        return true;
      if (I + 1 >= Argc) {
        Error = Name + " needs a value";
        return false;
      }
      Value = Argv[++I];
      return true;
    };
    auto TakeNumber = [&](double &Out) -> bool {
      if (!TakeValue())
        return false;
      char *End = nullptr;
      Out = std::strtod(Value.c_str(), &End);
      if (Value.empty() || *End != '\0') {
        Error = Name + ": '" + Value + "' is not a number";
        return false;
      }
      return true;
    };
    double Number = 0;
    if (Name == "--findings") {
      if (!TakeValue())
        return false;
      Args.FindingsPath = Value;
    } else if (Name == "--runtime") {
      if (!TakeValue())
        return false;
      Args.ReportPaths.push_back(Value);
    } else if (Name == "--format") {
      if (!TakeValue())
        return false;
      if (Value != "text" && Value != "json" && Value != "sarif" &&
          Value != "github") {
        Error = "--format must be text, json, sarif or github, not '" +
                Value + "'";
        return false;
      }
      Args.Format = Value;
    } else if (Name == "--output") {
      if (!TakeValue())
        return false;
      Args.OutputPath = Value;
    } else if (Name == "--source-root") {
      if (!TakeValue())
        return false;
      Args.SourceRoot = Value;
    } else if (Name == "--chart") {
      if (!TakeValue())
        return false;
      Args.ChartPath = Value;
    } else if (Name == "--warmup") {
      if (!TakeNumber(Number))
        return false;
      Args.Options.WarmupIterations = static_cast<int>(Number);
    } else if (Name == "--min-growth") {
      if (!TakeNumber(Number))
        return false;
      Args.Options.MinGrowthBytes = Number;
    } else if (Name == "--min-tau") {
      if (!TakeNumber(Number))
        return false;
      Args.Options.MinKendallTau = Number;
    } else {
      Error = "unknown argument '" + Arg + "'";
      return false;
    }
  }
  if (Args.FindingsPath.empty()) {
    Error = "--findings is required";
    return false;
  }
  if (Args.ReportPaths.empty()) {
    Error = "at least one --runtime report is required";
    return false;
  }
  return true;
}

/// The chart or the verdicts: to a file, whole or not at all, or to
/// standard output; false after one line naming the file and the reason.
bool writeOutput(const std::string &Path, const std::string &Text) {
  std::string Problem;
  if (Path.empty() ? writeStandardOutput(Text, Problem)
                   : writeFileAtomically(Path, Text, Problem))
    return true;
  std::cerr << "torch-tidy confirm: error: " << Problem << "\n";
  return false;
}

std::string currentDirectory() {
  char Buffer[4096];
  return getcwd(Buffer, sizeof(Buffer)) ? Buffer : "";
}

} // namespace

int runConfirmCommand(int Argc, const char **Argv,
                      SymbolizerFactory MakeSymbolizer) {
  for (int I = 1; I < Argc; ++I)
    if (std::strcmp(Argv[I], "--help") == 0 ||
        std::strcmp(Argv[I], "-h") == 0) {
      std::cout << Usage;
      return ExitSuccess;
    }
  ConfirmArgs Args;
  std::string Error;
  if (!parseArgs(Argc, Argv, Args, Error))
    return usageError(Error);

  std::vector<Finding> Findings;
  try {
    Findings = readFindingsFile(Args.FindingsPath);
  } catch (const InputError &Problem) {
    std::cerr << "torch-tidy confirm: error: " << Problem.what() << "\n";
    return ExitUsageError;
  }
  // A bad report is skipped with a message; the others still count.
  int Status = ExitSuccess;
  std::vector<RuntimeReport> Reports;
  for (const std::string &Path : Args.ReportPaths) {
    try {
      Reports.push_back(readRuntimeReport(Path));
    } catch (const InputError &Problem) {
      std::cerr << "torch-tidy confirm: error: " << Problem.what() << "\n";
      Status = ExitUsageError;
    }
  }

  std::vector<Confirmation> Confirmations =
      confirmFindings(Findings, Reports, Args.Options);
  std::vector<SiteEvidence> Sites = evaluateAllSites(Reports, Args.Options);
  // Frames are symbolised only when a report has origins.
  bool AnyOrigins = false;
  for (const RuntimeReport &Report : Reports)
    AnyOrigins = AnyOrigins || Report.HasOrigins;
  std::unique_ptr<Symbolizer> Tool;
  if (AnyOrigins)
    Tool = MakeSymbolizer ? MakeSymbolizer() : makeExternalSymbolizer();
  // Symbolised paths are absolute, so is the root they are made relative to.
  std::string Root = Args.SourceRoot;
  if (Root.empty() || Root[0] != '/')
    Root = normalizePath(currentDirectory() + "/" + Root);
  OriginResolver Resolver(std::move(Tool), Root);
  attachOrigins(Confirmations, Sites, Reports, Resolver);
  std::vector<Lead> Leads = findLeads(Confirmations, Sites);
  std::string Text;
  if (Args.Format == "json")
    Text = confirmationsToJson(Confirmations, Sites, Reports, Args.Options,
                               Leads, Resolver.notes())
               .dump(2) +
           "\n";
  else if (Args.Format == "sarif")
    Text = confirmationsToSarif(Confirmations, Leads, Root);
  else if (Args.Format == "github")
    Text = confirmationsToGithub(Confirmations, Leads, Root);
  else
    Text = confirmationsToText(Confirmations, Sites) +
           leadsToText(Leads, Resolver.notes()) + failuresToText(Reports);
  // Both outputs are tried, so that one that cannot be written does not
  // cost the other.
  bool Written = true;
  if (!Args.ChartPath.empty())
    Written = writeOutput(Args.ChartPath,
                          renderMemoryChart(Reports, Args.Options, &Sites));
  Written = writeOutput(Args.OutputPath, Text) && Written;
  if (!Written)
    return ExitUsageError;
  return Status;
}

} // namespace torch_tidy
