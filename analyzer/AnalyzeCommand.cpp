//===--- AnalyzeCommand.cpp - `torch-tidy [options] files` ----------------===//
//
// Runs clang-tidy's own machinery (option files, NOLINT, fix-its) with the
// torch module linked in, and adds what clang-tidy lacks: report formats,
// parallel runs over a compile database, per-file timeouts and shards.
//
//===----------------------------------------------------------------------===//

#include "AnalyzeCommand.h"
#include "AdjustedCompilations.h"
#include "AtomicFile.h"
#include "ContentDigest.h"
#include "DriverOptions.h"
#include "FindingsCache.h"
#include "InProcessAnalysis.h"
#include "InstrumentFindings.h"
#include "ParallelAnalysis.h"
#include "ProjectAnalysis.h"
#include "TorchTidyRules/ModuleAnchor.h"
#include "TorchTidyRules/ProjectQuestions.h"
#include "TorchTidyRules/ProjectSummaries.h"

#include "clang-tidy/ClangTidy.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace clang::tidy;
namespace cl = llvm::cl;

namespace torch_tidy {

namespace {

const char Overview[] =
    "torch-tidy finds libtorch code that makes memory grow across training\n"
    "iterations.\n\n"
    "  torch-tidy [options] <file>... -- <compiler flags>\n"
    "  torch-tidy [options] -p <build dir> [<file>...]\n"
    "  torch-tidy confirm --findings F --runtime R   (torch-tidy confirm "
    "--help)\n"
    "  torch-tidy merge [--format=F] [--output=O] <findings.json>...\n"
    "  torch-tidy summarize -p <build dir> --output=<summaries.json>\n";

int usageError(const std::string &Message) {
  llvm::errs() << "torch-tidy: error: " << Message << "\n";
  return ExitUsageError;
}

/// Writes one output file through the shared writer; false after one line
/// naming the file and the reason.
bool writeOutputFile(const std::string &Path, const std::string &Text,
                     Durability Level = Durability::Synced) {
  std::string Problem;
  if (writeFileAtomically(Path, Text, Problem, Level))
    return true;
  llvm::errs() << "torch-tidy: error: " << Problem << "\n";
  return false;
}

/// The report on standard output, checked as a file is.
bool writeReportToStandardOutput(const std::string &Report) {
  llvm::outs().flush(); // Whatever clang-tidy printed comes first.
  std::string Problem;
  if (writeStandardOutput(Report, Problem))
    return true;
  llvm::errs() << "torch-tidy: error: " << Problem << "\n";
  return false;
}

/// The build directory given with -p, or "" (CommonOptionsParser keeps
/// that option to itself).
std::string buildPath(const std::vector<const char *> &Arguments) {
  for (size_t I = 1; I < Arguments.size(); ++I) {
    llvm::StringRef Arg = Arguments[I];
    if (Arg == "--")
      break;
    if ((Arg == "-p" || Arg == "--p") && I + 1 < Arguments.size())
      return Arguments[I + 1];
    for (llvm::StringRef Prefix : {"-p=", "--p="})
      if (Arg.starts_with(Prefix))
        return Arg.drop_front(Prefix.size()).str();
  }
  return "";
}

/// Why the compile database of `-p Build` cannot be used, or "". clang's
/// loader would print several lines and go on without flags, so that every
/// file fails to compile for a reason the user cannot see.
std::string compileDatabaseProblem(llvm::StringRef Build) {
  llvm::SmallString<256> Path(Build);
  llvm::sys::path::append(Path, "compile_commands.json");
  std::string Error;
  if (llvm::sys::fs::exists(Path)) {
    if (clang::tooling::JSONCompilationDatabase::loadFromFile(
            Path, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect))
      return "";
    return (Path + ": not a valid compile database: " +
            llvm::StringRef(Error).split('\n').first)
        .str();
  }
  // Named files may use a database in a parent directory, as in clang-tidy.
  if (!clang::tooling::CompilationDatabase::autoDetectFromDirectory(Build,
                                                                    Error))
    return (Build + ": no compile_commands.json found").str();
  return "";
}

/// A compiler error that means the compile flags do not reach libtorch.
bool isMissingLibtorchHeader(const AnalysisError &Error) {
  llvm::StringRef Message = Error.Message;
  if (!Message.ends_with("' file not found"))
    return false;
  llvm::StringRef Header = Message.drop_front(Message.find('\'') + 1);
  return Header.starts_with("torch/") || Header.starts_with("ATen/") ||
         Header.starts_with("c10/");
}

/// The files to analyse: those named, or every file of the compile
/// database; then this shard's deterministic slice of them.
std::vector<std::string>
filesToAnalyse(clang::tooling::CommonOptionsParser &Parser,
               const clang::tooling::CompilationDatabase *Compilations,
               const DriverSettings &Settings) {
  std::vector<std::string> Files = Parser.getSourcePathList();
  if (Files.empty() && Compilations)
    Files = Compilations->getAllFiles();
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  if (Settings.ShardCount <= 1)
    return Files;
  std::vector<std::string> Shard;
  for (size_t I = 0; I < Files.size(); ++I)
    if (I % Settings.ShardCount == Settings.ShardIndex)
      Shard.push_back(Files[I]);
  return Shard;
}

/// The problem of the first malformed .clang-tidy file that applies to one
/// of \p Files, or "". Each file's configuration is read now, so that a
/// malformed one stops the run before any analysis.
std::string malformedConfigFile(ClangTidyOptionsProvider &Provider,
                                const std::vector<std::string> &Files,
                                const ConfigFileErrors &Errors) {
  for (const std::string &File : Files) {
    Provider.getRawOptions(File);
    if (!Errors.problems().empty())
      return Errors.problems().front();
  }
  return "";
}

int printConfiguration(ClangTidyOptionsProvider &Provider,
                       const std::string &File, bool Explain) {
  if (!Explain) {
    ClangTidyOptions Effective = Provider.getOptions(File);
    // Each enabled check's options with their values, defaults included.
    Effective.CheckOptions =
        getCheckOptions(Effective, /*AllowEnablingAnalyzerAlphaCheckers=*/false);
    llvm::outs() << configurationAsText(
        ClangTidyOptions::getDefaults().merge(Effective, 0));
    return ExitSuccess;
  }
  for (const auto &[Options, Source] : Provider.getRawOptions(File))
    if (Options.Checks)
      llvm::outs() << "'" << *Options.Checks << "' from " << Source << "\n";
  return ExitSuccess;
}

/// Writes the report in a non-clang format and returns the exit code.
int finish(const AnalysisResult &Result, const DriverSettings &Settings,
           size_t FileCount) {
  // Between processes only: the parent reads it at once.
  if (!Settings.WorkerOutput.empty()) {
    nlohmann::json Report = findingsToJson(Result.Findings, Result.Errors);
    // What the findings rest on in other files, for the findings cache.
    Report["project_questions"] =
        projectQuestionsJson(clang::tidy::torch::takeProjectQuestions());
    return writeOutputFile(Settings.WorkerOutput, Report.dump(),
                           Durability::Closed)
               ? ExitSuccess
               : ExitUsageError;
  }

  // Each output is tried, so that one that cannot be written does not cost
  // the other.
  bool Written = true;
  if (!Settings.ExportFixesPath.empty())
    Written = writeOutputFile(Settings.ExportFixesPath, Result.ExportedFixes);
  if (Settings.Format != ReportFormat::Clang) {
    ReportInput Input{Result.Findings, Result.Errors, Settings.SourceRoot};
    std::string Report = renderReport(Settings.Format, Input);
    Written = (Settings.OutputPath.empty()
                   ? writeReportToStandardOutput(Report)
                   : writeOutputFile(Settings.OutputPath, Report)) &&
              Written;
  }
  if (!Written)
    return ExitUsageError;
  llvm::outs().flush(); // Keep the report before the summary on a terminal.
  if (Settings.Format != ReportFormat::Clang)
    for (const AnalysisError &Error : Result.Errors)
      llvm::errs() << formatAnalysisError(Error) << "\n";
  if (!Settings.Quiet)
    llvm::errs() << Result.Findings.size() << " finding"
                 << (Result.Findings.size() == 1 ? "" : "s") << " in "
                 << FileCount << " file" << (FileCount == 1 ? "" : "s")
                 << "\n";
  if (std::any_of(Result.Errors.begin(), Result.Errors.end(),
                  isMissingLibtorchHeader))
    llvm::errs() << "torch-tidy: note: libtorch's headers were not found: the "
                    "compile flags lack libtorch's include paths (-I "
                    "<libtorch>/include -I "
                    "<libtorch>/include/torch/csrc/api/include)\n";
  if (!Result.Errors.empty()) {
    llvm::errs() << "torch-tidy: error: " << Result.Errors.size()
                 << " error" << (Result.Errors.size() == 1 ? "" : "s")
                 << " while analysing; findings in the affected files may be "
                    "incomplete\n";
    return ExitAnalysisError;
  }
  bool Fails = std::any_of(
      Result.Findings.begin(), Result.Findings.end(), [&](const Finding &F) {
        return Settings.FailOnWarning || F.Severity == "error";
      });
  return Fails ? ExitFindingErrors : ExitSuccess;
}

/// Where the merged summaries of \p Files go: beside the header cache,
/// named by the project's files, or a temporary file without a cache.
std::string projectSummariesFile(const DriverSettings &Settings,
                                 const std::vector<std::string> &Files) {
  llvm::SmallString<256> Path;
  if (Settings.CacheDirectory.empty()) {
    llvm::sys::fs::createTemporaryFile("torch-tidy-project", "json", Path);
    return std::string(Path);
  }
  std::string Names;
  for (const std::string &File : Files)
    Names += File + "\n";
  Path = Settings.CacheDirectory;
  llvm::sys::path::append(Path, "summaries",
                          "project-" + contentDigest(Names) + ".json");
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path));
  return std::string(Path);
}

/// Summarises every translation unit of the project (ProjectAnalysis.h) and
/// writes the merged summaries to \p Path. False with a message when the
/// file cannot be written. \p Level: synced for summarize's --output, only
/// closed for the files the analysis makes and reads itself.
bool writeProjectSummaries(
    const std::vector<std::string> &ProjectFiles,
    const clang::tooling::CompilationDatabase &Compilations,
    const DriverSettings &Settings, const std::string &Path,
    const UnitSummariser &InWorkers, Durability Level) {
  std::shared_ptr<ConfigFileErrors> Ignored =
      std::make_shared<ConfigFileErrors>();
  std::string Problem;
  std::unique_ptr<clang::tooling::CompilationDatabase> Adjusted =
      makeAnalysisCompilations(Compilations, TORCH_TIDY_CLANG_RESOURCE_DIR);
  ProjectSummariesResult Project = summariseProject(
      ProjectFiles, *Adjusted, makeOptionsProvider(Settings, Ignored, Problem),
      Settings, InWorkers);
  if (Settings.CacheLog)
    llvm::errs() << "torch-tidy: project: " << Project.Summarised
                 << " translation units summarised, " << Project.Cached
                 << " from the cache\n";
  for (const std::string &Why : Project.Problems)
    llvm::errs() << "torch-tidy: warning: " << Why << "\n";
  return writeOutputFile(Path, Project.Json, Level);
}

} // namespace

int runAnalyzeCommand(int Argc, const char **Argv) {
  return runDriver(Argc, Argv, /*SummarizeOnly=*/false);
}

int runSummarizeCommand(int Argc, const char **Argv) {
  return runDriver(Argc, Argv, /*SummarizeOnly=*/true);
}

int runDriver(int Argc, const char **Argv, bool SummarizeOnly) {
  (void)clang::tidy::TorchTidyModuleAnchorSource;
  std::vector<const char *> Arguments(Argv, Argv + Argc);
  if (std::string Build = buildPath(Arguments); !Build.empty())
    if (std::string Problem = compileDatabaseProblem(Build); !Problem.empty())
      return usageError(Problem);
  auto Parser = clang::tooling::CommonOptionsParser::create(
      Argc, Argv, driverOptionCategory(), cl::ZeroOrMore, Overview);
  if (!Parser)
    return usageError(llvm::toString(Parser.takeError()));

  DriverSettings Settings;
  Settings.SummarizeOnly = SummarizeOnly;
  std::string Problem;
  if (!readDriverSettings(Settings, Problem))
    return usageError(Problem);
  if (SummarizeOnly && Settings.OutputPath.empty())
    return usageError("summarize needs --output=<file> for the summaries");
  // A summaries file that cannot be used stops the run before any analysis.
  if (!Settings.ProjectSummariesPath.empty())
    if (auto Loaded = clang::tidy::torch::ProjectSummaries::load(
            Settings.ProjectSummariesPath);
        !Loaded)
      return usageError(llvm::toString(Loaded.takeError()));
  auto ConfigErrors = std::make_shared<ConfigFileErrors>();
  auto OptionsProvider = makeOptionsProvider(Settings, ConfigErrors, Problem);
  if (!OptionsProvider)
    return usageError(Problem);

  // CommonOptionsParser loads a compile database only for named files; for
  // `torch-tidy -p build` alone, load it here.
  std::unique_ptr<clang::tooling::CompilationDatabase> WholeDatabase;
  const clang::tooling::CompilationDatabase *Compilations = nullptr;
  if (!Parser->getSourcePathList().empty()) {
    Compilations = &Parser->getCompilations();
  } else if (std::string Build = buildPath(Arguments); !Build.empty()) {
    std::string LoadError; // Several lines; the one-line message says it.
    WholeDatabase = clang::tooling::CompilationDatabase::loadFromDirectory(
        Build, LoadError);
    if (!WholeDatabase)
      return usageError(Build + ": no compile_commands.json found");
    Compilations = WholeDatabase.get();
  }
  std::vector<std::string> Files =
      Settings.WorkerFile.empty()
          ? filesToAnalyse(*Parser, Compilations, Settings)
          : std::vector<std::string>{Settings.WorkerFile};
  std::string ConfigFile = Files.empty() ? "dummy.cpp" : Files.front();
  if (std::string Malformed = malformedConfigFile(
          *OptionsProvider, Files.empty() ? std::vector{ConfigFile} : Files,
          *ConfigErrors);
      !Malformed.empty())
    return usageError(Malformed);
  if (Settings.ListChecks) {
    llvm::outs() << "Enabled checks:\n";
    for (const std::string &Name :
         getCheckNames(OptionsProvider->getOptions(ConfigFile), false))
      llvm::outs() << "    " << Name << "\n";
    return ExitSuccess;
  }
  if (Settings.DumpConfig || Settings.ExplainConfig)
    return printConfiguration(*OptionsProvider, ConfigFile,
                              Settings.ExplainConfig);
  if (Files.empty())
    return usageError(Settings.ShardCount > 1 && Compilations
                          ? "no files in this shard"
                          : "no input files (run torch-tidy --help for usage)");
  for (const std::string &File : Files)
    if (!llvm::sys::fs::exists(File))
      return usageError(File + ": no such file");
  ClangTidyOptions Effective = OptionsProvider->getOptions(Files.front());
  if (getCheckNames(Effective, false).empty())
    return usageError("no checks enabled by '" +
                      Effective.Checks.value_or("") + "'");

  // A bad --instrument-dir fails before the analysis, not after it.
  if (!Settings.InstrumentDir.empty() && Settings.WorkerOutput.empty()) {
    std::error_code Error =
        llvm::sys::fs::create_directories(Settings.InstrumentDir);
    if (!Error && !llvm::sys::fs::is_directory(Settings.InstrumentDir))
      Error = std::make_error_code(std::errc::not_a_directory);
    if (Error)
      return usageError("--instrument-dir " + Settings.InstrumentDir +
                        ": cannot create the directory: " + Error.message());
  }

  // Whole-project analysis: every translation unit is summarised first, so
  // that a helper of another file is judged by its body and its callers.
  std::optional<llvm::FileRemover> TemporarySummaries;
  std::string SummariesArgument;
  if (Settings.WorkerFile.empty() && Compilations &&
      (SummarizeOnly ||
       (Settings.Project && Settings.ProjectSummariesPath.empty()))) {
    std::vector<std::string> Project = projectFiles(*Compilations, Files);
    if (SummarizeOnly || Project.size() > 1) {
      std::string Path = SummarizeOnly
                             ? Settings.OutputPath
                             : projectSummariesFile(Settings, Project);
      // Several files, or a time limit: one worker process per file, as
      // for the analysis.
      UnitSummariser InWorkers = [&](const std::vector<std::string> &Units) {
        return summariseInWorkers(Units, Arguments, Settings);
      };
      bool Parallel = Project.size() > 1 || Settings.TimeoutSeconds > 0;
      if (!writeProjectSummaries(Project, *Compilations, Settings, Path,
                                 Parallel ? InWorkers : nullptr,
                                 SummarizeOnly ? Durability::Synced
                                               : Durability::Closed))
        return ExitUsageError;
      if (SummarizeOnly) {
        if (!Settings.Quiet)
          llvm::errs() << "torch-tidy: summaries of " << Project.size()
                       << " translation unit"
                       << (Project.size() == 1 ? "" : "s") << " written to "
                       << Path << "\n";
        return ExitSuccess;
      }
      if (Settings.CacheDirectory.empty())
        TemporarySummaries.emplace(Path);
      Settings.ProjectSummariesPath = Path;
      OptionsProvider = makeOptionsProvider(Settings, ConfigErrors, Problem);
      if (!OptionsProvider)
        return usageError(Problem);
      // Workers read the same file (an option: before any "--").
      SummariesArgument = "--project-summaries=" + Path;
      Arguments.insert(std::find_if(Arguments.begin() + 1, Arguments.end(),
                                    [](const char *Arg) {
                                      return llvm::StringRef(Arg) == "--";
                                    }),
                       SummariesArgument.c_str());
    }
  }

  AnalysisResult Result;
  // A summary worker: its one file's summaries, as JSON, for the parent.
  if (Settings.WorkerSummaries && !Settings.WorkerOutput.empty())
    return writeProjectSummaries(Files, *Compilations, Settings,
                                 Settings.WorkerOutput, nullptr,
                                 Durability::Closed)
               ? ExitSuccess
               : ExitUsageError;
  bool UseWorkers = Settings.WorkerFile.empty() && !Settings.Fix &&
                    Settings.ExportFixesPath.empty() &&
                    (Files.size() > 1 || Settings.TimeoutSeconds > 0);
  if (UseWorkers) {
    std::unique_ptr<FindingsCache> Reuse =
        findingsCacheFor(Settings, Compilations, *OptionsProvider);
    Result = analyseInWorkers(Files, Arguments, Settings, Reuse.get());
  } else {
    std::unique_ptr<clang::tooling::CompilationDatabase> Adjusted =
        makeAnalysisCompilations(*Compilations, TORCH_TIDY_CLANG_RESOURCE_DIR);
    Result = analyseInProcess(Files, *Adjusted, std::move(OptionsProvider),
                              Settings);
  }
  // Workers hand their findings (with loop bodies) to the parent, which
  // edits each file once.
  bool Instrumented = true;
  if (Settings.Instrument && Settings.WorkerOutput.empty())
    Instrumented = instrumentFindings(Result, Settings);
  int Code = finish(Result, Settings, Files.size());
  if (!Instrumented && Code != ExitAnalysisError)
    return ExitUsageError;
  return Code;
}

} // namespace torch_tidy
