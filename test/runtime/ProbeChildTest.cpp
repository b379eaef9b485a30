// Tests that need the probe switched on. The probe starts at load time when
// TORCH_TIDY_REPORT is set, so each test runs this binary again with that
// variable and one `ProbeChild.*` test selected; the child tests skip
// themselves in a normal run.
#include "ConfirmOutput.h"
#include "RuntimeReport.h"
#include "SelfProcess.h"

#include "torch_tidy/probe.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <typeinfo>
#include <vector>

namespace torch_tidy::probe {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool BuiltWithAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool BuiltWithAddressSanitizer = true;
#else
constexpr bool BuiltWithAddressSanitizer = false;
#endif
#else
constexpr bool BuiltWithAddressSanitizer = false;
#endif

constexpr int64_t OomBlock = int64_t(64) << 20;

bool inChild() { return std::getenv("TORCH_TIDY_PROBE_CHILD") != nullptr; }

std::string readFile(const std::string &Path) {
  std::ifstream In(Path);
  std::stringstream Text;
  Text << In.rdbuf();
  return Text.str();
}

using torch_tidy::test::ChildResult;

/// Runs `ProbeChild.<Test>` in a new process with the probe writing to
/// \p Report, and \p Environment ("NAME=value ...") set too.
ChildResult runChild(const std::string &Test, const std::string &Report,
                     const std::string &Environment = "") {
  std::remove(Report.c_str());
  return torch_tidy::test::runThisBinary(
      Environment + " TORCH_TIDY_PROBE_CHILD=1 TORCH_TIDY_REPORT='" + Report +
          "'",
      "ProbeChild." + Test);
}

std::string reportPath(const char *Name) {
  return testing::TempDir() + "torch-tidy-" + Name + "-" +
         std::to_string(getpid()) + ".json";
}

// --- Several threads ----------------------------------------------------

constexpr int Workers = 4;
constexpr int MainIterations = 3;
int workerIterations(int Worker) { return 25 + 5 * Worker; }
// The line of the workers' TORCH_TIDY_ITERATION.
std::atomic<int> WorkerSiteLine{0};

TEST(ProbeChild, Threads) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  ASSERT_TRUE(isEnabled());
  for (int I = 0; I < MainIterations; ++I)
    TORCH_TIDY_ITERATION(); // This thread marks first: thread 0.
  std::atomic<int> Ready{0};
  std::vector<std::thread> Threads;
  for (int W = 0; W < Workers; ++W)
    Threads.emplace_back([W, &Ready] {
      ++Ready;
      while (Ready.load() < Workers) {
      }
      std::vector<torch::Tensor> Kept;
      for (int I = 0; I < workerIterations(W); ++I) {
        WorkerSiteLine = __LINE__ + 1;
        TORCH_TIDY_ITERATION();
        Kept.push_back(torch::ones({256}));
      }
    });
  for (std::thread &T : Threads)
    T.join();
  std::cout << "worker-line " << WorkerSiteLine.load() << "\n";
}

TEST(ProbeInChildTest, EachThreadKeepsItsOwnExactSeries) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("threads");
  ChildResult Child = runChild("Threads", Report);
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  int Line = 0;
  auto At = Child.Output.find("worker-line ");
  ASSERT_NE(At, std::string::npos) << Child.Output;
  Line = std::atoi(Child.Output.c_str() + At + 12);

  nlohmann::json Root = nlohmann::json::parse(readFile(Report));
  EXPECT_TRUE(Root["complete"].get<bool>());
  std::multiset<int64_t> WorkerIterations, Expected;
  std::set<int> WorkerThreads;
  int MainSites = 0;
  for (const auto &Site : Root["sites"]) {
    int64_t Iterations = Site["iterations"].get<int64_t>();
    ASSERT_EQ(Site["samples"].size(), static_cast<size_t>(Iterations));
    for (int64_t I = 0; I < Iterations; ++I)
      EXPECT_EQ(Site["samples"][I]["iteration"].get<int64_t>(), I);
    if (Site["line"].get<int>() == Line) {
      WorkerIterations.insert(Iterations);
      WorkerThreads.insert(Site["thread"].get<int>());
    } else {
      ++MainSites;
      EXPECT_EQ(Site["thread"].get<int>(), 0);
      EXPECT_EQ(Iterations, MainIterations);
    }
  }
  for (int W = 0; W < Workers; ++W)
    Expected.insert(workerIterations(W));
  EXPECT_EQ(MainSites, 1);
  EXPECT_EQ(WorkerIterations, Expected);
  EXPECT_EQ(WorkerThreads, (std::set<int>{1, 2, 3, 4}));

  // confirm names the thread of each series.
  RuntimeReport Read = readRuntimeReport(Report);
  ConfirmOptions Options;
  std::string Text = confirmationsToText({}, evaluateAllSites({Read}, Options));
  for (int Thread = 1; Thread <= Workers; ++Thread)
    EXPECT_NE(Text.find(":" + std::to_string(Line) + " (thread " +
                        std::to_string(Thread) + "): "),
              std::string::npos)
        << Text;
}

// --- Phases and a measured run's stop ----------------------------------------

constexpr int PhaseLoopIterations = 10;
constexpr int StopAfter = 3;

TEST(ProbeChild, PhasesAndStop) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  torch::manual_seed(0);
  torch::nn::Linear Model(64, 64);
  torch::optim::SGD Optimizer(Model->parameters(), 0.1);
  for (int I = 0; I < PhaseLoopIterations; ++I) {
    TORCH_TIDY_ITERATION();
    Optimizer.zero_grad();
    torch::Tensor Activations = torch::relu(Model(torch::randn({256, 64})));
    Activations.pow(2).mean().backward();
    Optimizer.step();
    std::cout << "finished iteration " << I << "\n";
  }
  std::cout << "loop finished\n";
}

/// What every iteration's phases show in PhasesAndStop, measured run or not.
void expectPhasePeaksOfTheLoop(const IterationSample &S) {
  const int64_t ActivationBytes = 256 * 64 * 4;
  ASSERT_EQ(S.Phases.size(), 3u);
  EXPECT_EQ(S.Phases[0].Phase, "forward");
  EXPECT_EQ(S.Phases[1].Phase, "backward");
  EXPECT_EQ(S.Phases[2].Phase, "optimizer");
  // The forward pass holds the input and the activations above what
  // the boundary keeps; the iteration's peak is the largest phase's.
  EXPECT_GE(S.Phases[0].CpuPeakBytes, S.CpuTensorBytes + 2 * ActivationBytes);
  int64_t Largest = 0;
  for (const PhasePeak &P : S.Phases)
    Largest = std::max(Largest, P.CpuPeakBytes);
  EXPECT_EQ(S.CpuPeakBytes, Largest);
  // The backward pass adds the gradient of the activations (and of the
  // squared ones) to what the forward pass kept.
  EXPECT_GE(S.Phases[1].CpuPeakBytes, S.CpuTensorBytes + 2 * ActivationBytes);
  // By the step, backward has freed the input and the linear output
  // (only the ReLU output, still named in the loop body, remains).
  EXPECT_LT(S.Phases[2].CpuPeakBytes, S.Phases[0].CpuPeakBytes);
  EXPECT_LT(S.Phases[2].CpuPeakBytes, S.Phases[1].CpuPeakBytes);
}

TEST(ProbeInChildTest, PhasePeaksAndACleanStop) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("phases");
  ChildResult Child =
      runChild("PhasesAndStop", Report,
               "TORCH_TIDY_STOP_AFTER=" + std::to_string(StopAfter));
  // Ended by the probe with status 0 at the boundary after StopAfter
  // whole iterations, its own output flushed.
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  EXPECT_NE(Child.Output.find("finished iteration 2\n"), std::string::npos)
      << Child.Output;
  EXPECT_EQ(Child.Output.find("finished iteration 3"), std::string::npos)
      << Child.Output;
  EXPECT_EQ(Child.Output.find("loop finished"), std::string::npos);

  RuntimeReport Read = readRuntimeReport(Report);
  EXPECT_TRUE(Read.Complete);
  EXPECT_EQ(Read.StoppedAfter, StopAfter);
  EXPECT_TRUE(Read.AutocastDevices.empty());
  ASSERT_EQ(Read.Sites.size(), 1u);
  const auto &Samples = Read.Sites[0].Samples;
  ASSERT_EQ(Samples.size(), static_cast<size_t>(StopAfter + 1));
  // Start-up: no backward pass before the first boundary, one phase.
  ASSERT_EQ(Samples[0].Phases.size(), 1u);
  EXPECT_EQ(Samples[0].Phases[0].Phase, "forward");
  for (int I = 1; I <= StopAfter; ++I) {
    const IterationSample &S = Samples[I];
    expectPhasePeaksOfTheLoop(S);
    // A measured run keeps one window per autograd node of the backward
    // pass; the phase's peak is the highest window's.
    ASSERT_FALSE(S.Phases[1].CpuWindowPeaks.empty());
    EXPECT_EQ(*std::max_element(S.Phases[1].CpuWindowPeaks.begin(),
                                S.Phases[1].CpuWindowPeaks.end()),
              S.Phases[1].CpuPeakBytes);
  }
}

// Without a measured run the node callback sees only the first node of
// each pass, and the pass's end comes from the engine: the same peaks.
TEST(ProbeInChildTest, NoWindowsWithoutAMeasuredRun) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("phases-plain");
  ChildResult Child = runChild("PhasesAndStop", Report);
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  EXPECT_NE(Child.Output.find("loop finished"), std::string::npos);
  RuntimeReport Read = readRuntimeReport(Report);
  EXPECT_EQ(Read.StoppedAfter, 0);
  const auto &Samples = Read.Sites.at(0).Samples;
  ASSERT_EQ(Samples.size(), static_cast<size_t>(PhaseLoopIterations));
  for (size_t I = 1; I < Samples.size(); ++I) {
    expectPhasePeaksOfTheLoop(Samples[I]);
    EXPECT_TRUE(Samples[I].Phases[1].CpuWindowPeaks.empty());
  }
}

/// An operator whose backward throws, as a failing backward pass would.
struct FailingBackward : torch::autograd::Function<FailingBackward> {
  static torch::Tensor forward(torch::autograd::AutogradContext *,
                               torch::Tensor X) {
    return X.clone();
  }
  static torch::autograd::variable_list
  backward(torch::autograd::AutogradContext *, torch::autograd::variable_list) {
    throw std::runtime_error("backward failed on purpose");
  }
};

constexpr int FailingIteration = 2;

TEST(ProbeChild, PhasesAfterAFailedBackward) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  torch::manual_seed(0);
  torch::nn::Linear Model(64, 64);
  torch::optim::SGD Optimizer(Model->parameters(), 0.1);
  for (int I = 0; I < PhaseLoopIterations; ++I) {
    TORCH_TIDY_ITERATION();
    Optimizer.zero_grad();
    torch::Tensor Activations = torch::relu(Model(torch::randn({256, 64})));
    if (I == FailingIteration)
      Activations = FailingBackward::apply(Activations);
    try {
      Activations.pow(2).mean().backward();
    } catch (const std::exception &) {
      std::cout << "backward failed\n";
      continue;
    }
    Optimizer.step();
  }
}

// The engine runs no final callback for a pass that throws: the next
// boundary on the training thread ends it, and the next passes are seen.
TEST(ProbeInChildTest, APassThatThrowsDoesNotEndThePhases) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("phases-failed-backward");
  ChildResult Child = runChild("PhasesAfterAFailedBackward", Report);
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  EXPECT_NE(Child.Output.find("backward failed"), std::string::npos)
      << Child.Output;
  RuntimeReport Read = readRuntimeReport(Report);
  const auto &Samples = Read.Sites.at(0).Samples;
  ASSERT_EQ(Samples.size(), static_cast<size_t>(PhaseLoopIterations));
  for (size_t I = FailingIteration + 2; I < Samples.size(); ++I)
    expectPhasePeaksOfTheLoop(Samples[I]);
}

// --- The automatic mode ---------------------------------------------------

constexpr int Steps = 12;
constexpr int MicroBatches = 2; // Backward passes per optimizer step.

TEST(ProbeChild, AutomaticBoundaries) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  ASSERT_TRUE(isEnabled());
  torch::manual_seed(0);
  torch::nn::Linear Model(16, 4);
  torch::optim::SGD Optimizer(Model->parameters(), 0.1);
  // Inference with grad mode on before any backward pass: no boundary.
  for (int I = 0; I < 5; ++I)
    Model(torch::randn({8, 16}));
  // Training with gradient accumulation on another thread.
  std::thread Trainer([&] {
    for (int Step = 0; Step < Steps; ++Step) {
      Optimizer.zero_grad();
      for (int Micro = 0; Micro < MicroBatches; ++Micro)
        Model(torch::randn({8, 16})).pow(2).mean().backward();
      Optimizer.step();
    }
    // Evaluation under the guard on the training thread: no boundary.
    {
      torch::NoGradGuard NoGrad;
      for (int I = 0; I < 5; ++I)
        Model(torch::randn({8, 16}));
    }
    // The first operator with grad mode on after the last backward pass.
    Model(torch::randn({8, 16}));
  });
  Trainer.join();
  // Operators on a thread that ran no forward pass for a backward: none.
  for (int I = 0; I < 5; ++I)
    Model(torch::randn({8, 16}));
}

TEST(ProbeInChildTest, AutomaticModeMarksEachBackwardPassOnTheTrainingThread) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("automatic");
  ChildResult Child = runChild("AutomaticBoundaries", Report,
                               "TORCH_TIDY_AUTO_ITERATION=backward");
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  RuntimeReport Read = readRuntimeReport(Report);
  ASSERT_EQ(Read.Sites.size(), 1u);
  const ProbeSite &Site = Read.Sites[0];
  EXPECT_EQ(Site.Boundary, "backward-pass");
  EXPECT_EQ(Site.File, "");
  // One boundary per backward pass, all on the training thread (the first
  // thread to reach a boundary).
  EXPECT_EQ(Site.Samples.size(), static_cast<size_t>(Steps * MicroBatches));
  EXPECT_EQ(Site.Thread, 0);
  for (const IterationSample &Sample : Site.Samples)
    EXPECT_TRUE(Sample.GradEnabled);
  // The phases follow the same passes: each boundary after the first ends
  // a forward pass, its backward pass, and what ran after it.
  for (size_t I = 1; I < Site.Samples.size(); ++I) {
    const auto &Phases = Site.Samples[I].Phases;
    ASSERT_EQ(Phases.size(), 3u) << "sample " << I;
    EXPECT_EQ(Phases[1].Phase, "backward");
    EXPECT_GT(Phases[1].CpuPeakBytes, 0);
  }
}

TEST(ProbeInChildTest, AnUnknownAutomaticModeIsReportedOnceAndIgnored) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("automatic-unknown");
  ChildResult Child = runChild("AutomaticBoundaries", Report,
                               "TORCH_TIDY_AUTO_ITERATION=forward");
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  EXPECT_NE(Child.Output.find("TORCH_TIDY_AUTO_ITERATION=forward: unknown "
                              "mode (the one mode is 'backward'); automatic "
                              "mode off"),
            std::string::npos)
      << Child.Output;
  EXPECT_TRUE(readRuntimeReport(Report).Sites.empty());
}

// --- Out of memory ------------------------------------------------------

int64_t virtualMemoryBytes() {
  std::ifstream Status("/proc/self/status");
  std::string Key;
  while (Status >> Key)
    if (Key == "VmSize:") {
      int64_t KiB = 0;
      Status >> KiB;
      return KiB * 1024;
    }
  return 0;
}

TEST(ProbeChild, OutOfMemory) {
  if (!inChild())
    GTEST_SKIP() << "runs in a child process";
  ASSERT_TRUE(isEnabled());
  torch::Tensor Warm = torch::ones({16}); // Start libtorch before the limit.
  rlimit Limit{};
  Limit.rlim_cur = Limit.rlim_max =
      static_cast<rlim_t>(virtualMemoryBytes() + 8 * OomBlock);
  ASSERT_EQ(setrlimit(RLIMIT_AS, &Limit), 0);
  std::vector<torch::Tensor> Kept;
  try {
    for (int I = 0; I < 1000; ++I) {
      TORCH_TIDY_ITERATION();
      Kept.push_back(torch::empty({OomBlock}, torch::kByte));
    }
    FAIL() << "no allocation failed";
  } catch (const c10::Error &Error) {
    size_t KeptCount = Kept.size();
    Kept.clear();
    std::cout << "caught "
              << (typeid(Error) == typeid(c10::Error)
                      ? "c10::Error"
                      : "a subclass of c10::Error")
              << ": " << Error.what_without_backtrace() << "\n";
    std::cout << "kept " << KeptCount << "\n";
    std::string OnDisk = readFile(std::getenv("TORCH_TIDY_REPORT"));
    if (nlohmann::json::accept(OnDisk) &&
        OnDisk.find("cpu-out-of-memory") != std::string::npos)
      std::cout << "report written before the catch\n";
  } catch (...) {
    FAIL() << "not a c10::Error";
  }
}

TEST(ProbeInChildTest, OutOfMemoryIsRecordedAndPropagatesUnchanged) {
  if (inChild())
    GTEST_SKIP();
  std::string Report = reportPath("oom");
  ChildResult Child = runChild("OutOfMemory", Report);
  ASSERT_EQ(Child.ExitCode, 0) << Child.Output;
  // The program caught libtorch's own exception: its type, and the message
  // the probe recorded.
  const std::string Caught = "caught c10::Error: ";
  auto CaughtAt = Child.Output.find(Caught);
  ASSERT_NE(CaughtAt, std::string::npos) << Child.Output;
  std::string Message = Child.Output.substr(CaughtAt + Caught.size(),
                                            Child.Output.find('\n', CaughtAt) -
                                                CaughtAt - Caught.size());
  EXPECT_NE(Message.find("DefaultCPUAllocator: can't allocate memory"),
            std::string::npos)
      << Message;
  EXPECT_NE(Child.Output.find("report written before the catch"),
            std::string::npos)
      << Child.Output;
  auto At = Child.Output.find("kept ");
  ASSERT_NE(At, std::string::npos);
  int64_t Kept = std::atoll(Child.Output.c_str() + At + 5);
  EXPECT_GE(Kept, 1);

  nlohmann::json Root = nlohmann::json::parse(readFile(Report));
  ASSERT_TRUE(Root.contains("failure")) << Root.dump(1);
  const nlohmann::json &F = Root["failure"];
  EXPECT_EQ(F["kind"], "cpu-out-of-memory");
  EXPECT_EQ(F["requested_bytes"].get<int64_t>(), OomBlock);
  EXPECT_EQ(F["message"].get<std::string>(), Message);
  ASSERT_EQ(Root["sites"].size(), 1u);
  const nlohmann::json &Site = Root["sites"][0];
  EXPECT_EQ(F["last_site"]["file"], Site["file"]);
  EXPECT_EQ(F["last_site"]["line"], Site["line"]);
  EXPECT_EQ(F["last_site"]["thread"].get<int>(), 0);
  // The failing iteration is the one after the last tensor kept, and the
  // live bytes are exactly the kept blocks over what iteration 0 saw.
  EXPECT_EQ(F["iteration"].get<int64_t>(), Kept);
  EXPECT_EQ(F["cpu_tensor_bytes"].get<int64_t>(),
            Site["samples"][0]["cpu_tensor_bytes"].get<int64_t>() +
                Kept * OomBlock);
  // ASan's allocator bypasses glibc's, whose mallinfo2() gives the heap.
  if (!BuiltWithAddressSanitizer) {
    EXPECT_GE(F["host_heap_bytes"].get<int64_t>(),
              F["cpu_tensor_bytes"].get<int64_t>());
  }

  // confirm prints it.
  std::string Text = failuresToText({readRuntimeReport(Report)});
  EXPECT_NE(Text.find(": CPU out of memory: 64.0 MiB requested"),
            std::string::npos)
      << Text;
  EXPECT_NE(Text.find(", in iteration " + std::to_string(Kept) + " of "),
            std::string::npos)
      << Text;
}

} // namespace
} // namespace torch_tidy::probe
