//===--- FitRunner.cpp - Running the user's program at a batch size -------===//

#include "FitRunner.h"
#include "ConfirmOutput.h"
#include "FitInputs.h"
#include "InputError.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace torch_tidy {

namespace {

std::string readWholeFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream Text;
  Text << In.rdbuf();
  return Text.str();
}

/// Opens one of a run's logs, in the parent: a folder that takes no files
/// (--keep without permission, a full disk) is then an error of its own,
/// not a run that seems to have "exited without a report".
int openLog(const std::string &Path, std::string &Problem) {
  int Fd = open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (Fd < 0)
    Problem = "cannot write '" + Path + "': " + std::strerror(errno);
  return Fd;
}

/// In the child: output to the log files, the probe's variables set, then
/// exec. Only async-signal-safe work would be strictly right after fork;
/// the parent is single-threaded here, so setenv is safe.
[[noreturn]] void execChild(const FitRunRequest &Request,
                            const std::vector<std::string> &Arguments,
                            const std::string &Report, int OutFd, int ErrFd) {
  setpgid(0, 0); // Its own group, so a timeout ends its children too.
  dup2(OutFd, STDOUT_FILENO);
  dup2(ErrFd, STDERR_FILENO);
  setenv("TORCH_TIDY_REPORT", Report.c_str(), 1);
  setenv("TORCH_TIDY_STOP_AFTER", std::to_string(Request.Iterations).c_str(),
         1);
  setenv("TORCH_TIDY_BATCH_SIZE", std::to_string(Request.BatchSize).c_str(), 1);
  // A report at every boundary: a run the kernel kills keeps its last one.
  setenv("TORCH_TIDY_REPORT_EVERY", "1", 1);
  setenv("TORCH_TIDY_REPORT_INTERVAL_MS", "0", 1);
  setenv("TORCH_TIDY_AUTO_ITERATION", "backward", 0); // Unless set already.
  if (!Request.Preload.empty())
    setenv("LD_PRELOAD", Request.Preload.c_str(), 1);
  std::vector<char *> Argv;
  for (const std::string &A : Arguments)
    Argv.push_back(const_cast<char *>(A.c_str()));
  Argv.push_back(nullptr);
  execvp(Argv[0], Argv.data());
  std::fprintf(stderr, "cannot run '%s': %s\n", Argv[0], std::strerror(errno));
  std::fflush(stderr);
  _exit(127);
}

/// Waits for \p Child; false when the timeout ended it.
bool waitFor(pid_t Child, int TimeoutSeconds, int &Status) {
  auto Deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(TimeoutSeconds);
  while (true) {
    pid_t Done = waitpid(Child, &Status, TimeoutSeconds > 0 ? WNOHANG : 0);
    if (Done == Child)
      return true;
    if (Done < 0 && errno != EINTR)
      return true;
    if (TimeoutSeconds > 0 && std::chrono::steady_clock::now() > Deadline) {
      kill(-Child, SIGKILL);
      waitpid(Child, &Status, 0);
      return false;
    }
    if (TimeoutSeconds > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string describeFailure(const RuntimeFailure &F) {
  std::string Kind = F.Kind == "cuda-out-of-memory" ? "CUDA out of memory"
                                                    : "CPU out of memory";
  return Kind + " (" + formatBytes(static_cast<double>(F.RequestedBytes)) +
         " requested)";
}

} // namespace

std::string lastLines(const std::string &Text, int Lines) {
  std::vector<std::string> Kept;
  std::istringstream In(Text);
  std::string Line;
  while (std::getline(In, Line))
    if (Line.find_first_not_of(" \t\r") != std::string::npos)
      Kept.push_back(Line);
  std::string Out;
  size_t First =
      Kept.size() > static_cast<size_t>(Lines) ? Kept.size() - Lines : 0;
  for (size_t I = First; I < Kept.size(); ++I)
    Out += "  | " + Kept[I] + "\n";
  return Out;
}

FitRunResult runAtBatchSize(const FitRunRequest &Request) {
  FitRunResult Result;
  std::string Base =
      Request.WorkDir + "/batch-" + std::to_string(Request.BatchSize);
  Result.ReportPath = Base + ".json";
  std::remove(Result.ReportPath.c_str());
  std::vector<std::string> Arguments;
  for (const std::string &A : Request.Command)
    Arguments.push_back(substituteBatchSize(A, Request.BatchSize));

  int OutFd = openLog(Base + ".out", Result.Problem);
  int ErrFd = OutFd < 0 ? -1 : openLog(Base + ".err", Result.Problem);
  if (ErrFd < 0) {
    if (OutFd >= 0)
      close(OutFd);
    Result.What = FitRunResult::Outcome::CannotWrite;
    return Result;
  }
  std::fflush(nullptr);
  pid_t Child = fork();
  if (Child == 0)
    execChild(Request, Arguments, Result.ReportPath, OutFd, ErrFd);
  int ForkError = errno;
  close(OutFd);
  close(ErrFd);
  if (Child < 0) {
    Result.Problem =
        std::string("cannot start a process: ") + std::strerror(ForkError);
    return Result;
  }
  int Status = 0;
  bool Finished = waitFor(Child, Request.TimeoutSeconds, Status);
  Result.StderrTail = lastLines(readWholeFile(Base + ".err"), 5);

  std::optional<RuntimeReport> Report;
  std::string ReportProblem;
  if (access(Result.ReportPath.c_str(), F_OK) == 0) {
    try {
      Report = readRuntimeReport(Result.ReportPath);
    } catch (const InputError &Problem) {
      ReportProblem = Problem.what();
    }
  }
  auto Measure = [&](std::string &Problem) {
    return Report ? measureReport(*Report, Request.BatchSize, Problem)
                  : std::nullopt;
  };

  // Out of memory is an answer, not an error: this batch size does not fit.
  bool Killed = Finished && WIFSIGNALED(Status) && WTERMSIG(Status) == SIGKILL;
  if ((Report && Report->Failure) || Killed) {
    Result.What = FitRunResult::Outcome::OutOfMemory;
    Result.Problem = Report && Report->Failure
                         ? describeFailure(*Report->Failure)
                         : "killed by SIGKILL, as the kernel's OOM killer "
                           "does";
    std::string Ignored;
    Result.Measurement = Measure(Ignored);
    if (!Result.Measurement) {
      Result.Measurement = BatchMeasurement();
      Result.Measurement->BatchSize = Request.BatchSize;
    }
    Result.Measurement->OutOfMemory = true;
    Result.Measurement->OutOfMemoryDetail = Result.Problem;
    return Result;
  }
  if (!Finished) {
    Result.Problem = "did not finish within " +
                     std::to_string(Request.TimeoutSeconds) +
                     " seconds (--timeout)";
    return Result;
  }
  if (WIFSIGNALED(Status)) {
    Result.Problem = std::string("was killed by signal ") +
                     std::to_string(WTERMSIG(Status)) + " (" +
                     strsignal(WTERMSIG(Status)) + ")";
    return Result;
  }
  int Exit = WEXITSTATUS(Status);
  if (Exit != 0) {
    Result.Problem = "exited with status " + std::to_string(Exit) +
                     (Exit == 127 ? " (command not found)" : "");
    return Result;
  }
  if (!Report) {
    Result.Problem =
        ReportProblem.empty()
            ? "exited without a report: it never reached an iteration "
              "boundary (no TORCH_TIDY_ITERATION() ran and no backward pass "
              "was seen; link it with torch_tidy_probe or pass --preload)"
            : ReportProblem;
    return Result;
  }
  std::string Problem;
  Result.Measurement = Measure(Problem);
  if (!Result.Measurement) {
    Result.Problem = Problem;
    return Result;
  }
  Result.What = FitRunResult::Outcome::Measured;
  Result.EndedEarly = Report->StoppedAfter == 0;
  return Result;
}

} // namespace torch_tidy
