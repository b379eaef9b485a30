//===--- ParallelAnalysis.cpp - One worker process per file ---------------===//

#include "ParallelAnalysis.h"

#include "InputError.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <csignal>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

namespace torch_tidy {

namespace {

struct WorkerResult {
  AnalysisResult Result;
  /// The findings JSON it wrote, when it could be read.
  std::string Report;
  std::string ClangOutput;
  /// The worker's --cache-log lines, passed on to the parent's stderr.
  std::string CacheLog;
};

std::string cacheLogLines(llvm::StringRef Stderr) {
  std::string Lines;
  while (!Stderr.empty()) {
    auto [Line, Rest] = Stderr.split('\n');
    Stderr = Rest;
    if (Line.starts_with("torch-tidy: header cache: "))
      Lines += Line.str() + "\n";
  }
  return Lines;
}

std::string temporaryPath(llvm::StringRef Suffix) {
  llvm::SmallString<128> Path;
  llvm::sys::fs::createTemporaryFile("torch-tidy-worker", Suffix, Path);
  return std::string(Path);
}

std::string readWhole(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  return Buffer ? (*Buffer)->getBuffer().str() : std::string();
}

/// The reason a worker gave no result, as an analysis error of its file.
AnalysisError workerFailure(const std::string &File, const std::string &Why,
                            const std::string &Stderr) {
  std::string Message = Why;
  llvm::StringRef Tail = llvm::StringRef(Stderr).trim();
  if (!Tail.empty()) {
    // The last line a crashing clang prints names what it was doing.
    Message += ": " + Tail.rsplit('\n').second.str();
    if (Message.back() == ':')
      Message += " " + Tail.str();
  }
  return {File, {}, Message};
}

/// What became of one worker process.
struct WorkerProcess {
  bool Started = false;
  bool TimedOut = false;
  int ReturnCode = 0;
  std::string Problem;
  std::string Report; // What it wrote to --worker-output.
  std::string Stdout;
  std::string Stderr;
};

/// Runs this executable on \p File alone with \p Arguments, \p Extra
/// options first, and kills it after --timeout.
WorkerProcess runWorkerProcess(const std::string &Executable,
                               const std::vector<const char *> &Arguments,
                               const std::string &File,
                               const DriverSettings &Settings,
                               llvm::ArrayRef<llvm::StringRef> Extra) {
  WorkerProcess Worker;
  std::string JsonPath = temporaryPath("json");
  std::string StdoutPath = temporaryPath("out");
  std::string StderrPath = temporaryPath("err");
  std::vector<llvm::StringRef> Args;
  // Options first: everything after "--" is compiler flags.
  Args.push_back(Executable);
  std::string FileArg = "--worker-file=" + File;
  std::string OutputArg = "--worker-output=" + JsonPath;
  Args.push_back(FileArg);
  Args.push_back(OutputArg);
  Args.insert(Args.end(), Extra.begin(), Extra.end());
  // Named as a source too, so that the worker loads its compile command.
  Args.push_back(File);
  for (size_t I = 1; I < Arguments.size(); ++I)
    Args.push_back(Arguments[I]);
  std::optional<llvm::StringRef> Redirects[] = {
      llvm::StringRef(""), llvm::StringRef(StdoutPath),
      llvm::StringRef(StderrPath)};

  bool ExecutionFailed = false;
  auto Start = std::chrono::steady_clock::now();
  llvm::sys::ProcessInfo Process =
      llvm::sys::ExecuteNoWait(Executable, Args, std::nullopt, Redirects, 0,
                               &Worker.Problem, &ExecutionFailed);
  if (!ExecutionFailed) {
    Worker.Started = true;
    // llvm::sys::Wait's own timeout uses alarm(), which is process-wide and
    // so unusable from several threads: poll, and kill on our own clock.
    llvm::sys::ProcessInfo Done;
    while (true) {
      Done = llvm::sys::Wait(Process, /*SecondsToWait=*/0, &Worker.Problem);
      if (Done.Pid != 0)
        break;
      double Seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - Start)
                           .count();
      if (Settings.TimeoutSeconds && Seconds >= Settings.TimeoutSeconds) {
        Worker.TimedOut = true;
        ::kill(Process.Pid, SIGKILL);
        Done = llvm::sys::Wait(Process, std::nullopt, &Worker.Problem);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Worker.ReturnCode = Done.ReturnCode;
    Worker.Report = readWhole(JsonPath);
    Worker.Stdout = readWhole(StdoutPath);
    Worker.Stderr = readWhole(StderrPath);
  }
  for (const std::string &Path : {JsonPath, StdoutPath, StderrPath})
    llvm::sys::fs::remove(Path);
  return Worker;
}

/// Reads a worker's findings JSON into \p Result; false when it is not one.
bool readReport(const std::string &File, const std::string &Report,
                AnalysisResult &Result) {
  try {
    nlohmann::json Root = nlohmann::json::parse(Report);
    Result.Findings = readFindingsJson(Root, File);
    Result.Errors = readAnalysisErrorsJson(Root, File);
    return true;
  } catch (const std::exception &) {
    return false;
  }
}

WorkerResult runWorker(const std::string &Executable,
                       const std::vector<const char *> &Arguments,
                       const std::string &File,
                       const DriverSettings &Settings) {
  WorkerResult Worker;
  WorkerProcess Process =
      runWorkerProcess(Executable, Arguments, File, Settings, {});
  if (!Process.Started) {
    Worker.Result.Errors.push_back(
        {File, {}, "cannot start a worker: " + Process.Problem});
  } else {
    Worker.CacheLog = cacheLogLines(Process.Stderr);
    if (Process.TimedOut) {
      Worker.Result.Errors.push_back(
          {File, {}, "analysis stopped after " +
                         std::to_string(Settings.TimeoutSeconds) +
                         " s (--timeout)"});
    } else if (Process.ReturnCode < 0 || Process.ReturnCode > 3) {
      Worker.Result.Errors.push_back(workerFailure(
          File,
          "analysis failed (" +
              (Process.Problem.empty()
                   ? "exit code " + std::to_string(Process.ReturnCode)
                   : Process.Problem) +
              ")",
          Process.Stderr));
    } else if (readReport(File, Process.Report, Worker.Result)) {
      Worker.Report = std::move(Process.Report);
      Worker.ClangOutput = Process.Stdout;
    } else {
      Worker.Result.Errors.push_back(
          workerFailure(File, "worker gave no report", Process.Stderr));
      Worker.ClangOutput = Process.Stdout;
    }
  }
  // A worker that gave no report printed nothing useful: say why here.
  if (Worker.ClangOutput.empty())
    for (const AnalysisError &Error : Worker.Result.Errors)
      Worker.ClangOutput += formatAnalysisError(Error) + "\n";
  return Worker;
}

/// Calls \p Work(I) for each I below \p Count on up to \p Jobs threads.
void forEachInParallel(size_t Count, unsigned Jobs,
                       const std::function<void(size_t)> &Work) {
  std::atomic<size_t> Next{0};
  auto Loop = [&] {
    for (size_t I = Next++; I < Count; I = Next++)
      Work(I);
  };
  std::vector<std::thread> Threads;
  unsigned ThreadCount = std::max(1u, std::min<unsigned>(Jobs, Count));
  for (unsigned T = 0; T < ThreadCount; ++T)
    Threads.emplace_back(Loop);
  for (std::thread &T : Threads)
    T.join();
}

std::string executableOf(const std::vector<const char *> &Arguments) {
  static int Anchor;
  return llvm::sys::fs::getMainExecutable(Arguments.front(), &Anchor);
}

/// "[3/8] path" on a terminal (one line, rewritten), plain lines otherwise.
class Progress {
public:
  Progress(size_t Total, bool Quiet)
      : Total(Total), Quiet(Quiet),
        Terminal(llvm::sys::Process::StandardErrIsDisplayed()) {}

  void fileDone(const std::string &File, const WorkerResult &Worker) {
    if (Quiet)
      return;
    std::lock_guard<std::mutex> Lock(Mutex);
    ++Done;
    size_t Findings = Worker.Result.Findings.size();
    if (Terminal) {
      unsigned Width = 30;
      unsigned Filled = static_cast<unsigned>(Width * Done / Total);
      llvm::errs() << "\r[" << std::string(Filled, '#')
                   << std::string(Width - Filled, ' ') << "] " << Done << "/"
                   << Total << " files\x1b[K";
      if (Done == Total)
        llvm::errs() << "\n";
    } else {
      llvm::errs() << "torch-tidy: [" << Done << "/" << Total << "] " << File
                   << ": " << Findings << " finding"
                   << (Findings == 1 ? "" : "s")
                   << (Worker.Result.Errors.empty() ? "" : ", errors") << "\n";
    }
    llvm::errs().flush();
  }

private:
  size_t Total;
  size_t Done = 0;
  bool Quiet;
  bool Terminal;
  std::mutex Mutex;
};

} // namespace

AnalysisResult analyseInWorkers(const std::vector<std::string> &Files,
                                const std::vector<const char *> &Arguments,
                                const DriverSettings &Settings,
                                FindingsCache *Reuse) {
  std::string Executable = executableOf(Arguments);
  std::vector<WorkerResult> Results(Files.size());
  Progress Bar(Files.size(), Settings.Quiet);
  forEachInParallel(Files.size(), Settings.Jobs, [&](size_t I) {
    WorkerResult &Worker = Results[I];
    if (std::optional<CachedFindings> Cached =
            Reuse ? Reuse->lookup(Files[I]) : std::nullopt;
        Cached && readReport(Files[I], Cached->Report, Worker.Result)) {
      Worker.ClangOutput = std::move(Cached->ClangOutput);
      if (Settings.CacheLog)
        Worker.CacheLog =
            "torch-tidy: findings cache: reused: " + Files[I] + "\n";
    } else {
      Worker = runWorker(Executable, Arguments, Files[I], Settings);
      if (Reuse && !Worker.Report.empty())
        Reuse->store(Files[I], {Worker.Report, Worker.ClangOutput});
    }
    Bar.fileDone(Files[I], Worker);
  });

  AnalysisResult Merged;
  for (WorkerResult &Worker : Results) {
    llvm::errs() << Worker.CacheLog;
    if (Settings.Format == ReportFormat::Clang)
      llvm::outs() << Worker.ClangOutput;
    for (Finding &F : Worker.Result.Findings)
      Merged.Findings.push_back(std::move(F));
    for (AnalysisError &E : Worker.Result.Errors)
      Merged.Errors.push_back(std::move(E));
  }
  return Merged;
}

std::vector<SummaryWorkerResult>
summariseInWorkers(const std::vector<std::string> &Files,
                   const std::vector<const char *> &Arguments,
                   const DriverSettings &Settings) {
  std::string Executable = executableOf(Arguments);
  std::vector<SummaryWorkerResult> Results(Files.size());
  forEachInParallel(Files.size(), Settings.Jobs, [&](size_t I) {
    WorkerProcess Process = runWorkerProcess(Executable, Arguments, Files[I],
                                             Settings, {"--worker-summaries"});
    SummaryWorkerResult &Result = Results[I];
    if (!Process.Started)
      Result.Problem = "cannot start a worker: " + Process.Problem;
    else if (Process.TimedOut)
      Result.Problem = "summarising stopped after " +
                       std::to_string(Settings.TimeoutSeconds) +
                       " s (--timeout)";
    else if (Process.ReturnCode != 0 || Process.Report.empty())
      Result.Problem =
          workerFailure(Files[I], "summarising failed", Process.Stderr).Message;
    else
      Result.Summaries = std::move(Process.Report);
    Result.CacheLog = cacheLogLines(Process.Stderr);
  });
  for (const SummaryWorkerResult &Result : Results)
    llvm::errs() << Result.CacheLog;
  return Results;
}

} // namespace torch_tidy
