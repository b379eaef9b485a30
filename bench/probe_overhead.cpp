// What the runtime probe costs a training loop: an MLP training step on the
// CPU timed with the probe off (no TORCH_TIDY_REPORT), on, and compiled out
// (TORCH_TIDY_NO_PROBE, the probe_overhead_noprobe binary), each in its own
// process, alternated round by round; prints the medians and their ratios.
//
//   probe_overhead [ROUNDS [ITERATIONS]]     the driver (defaults 7, 400)
//   probe_overhead --child ITERATIONS        one timed run, prints ns/iter
#include "torch_tidy/probe.h"

#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

struct MlpImpl : torch::nn::Module {
  MlpImpl()
      : Hidden(register_module("hidden", torch::nn::Linear(64, 256))),
        Output(register_module("output", torch::nn::Linear(256, 10))) {}
  torch::Tensor forward(torch::Tensor X) {
    return Output(torch::relu(Hidden(X)));
  }
  torch::nn::Linear Hidden, Output;
};
TORCH_MODULE(Mlp);

struct Timing {
  double WallNs; // Per iteration.
  double CpuNs;  // Per iteration, this process's CPU time: less disturbed
                 // by other work on a shared machine.
};

double cpuNow() {
  timespec Now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &Now);
  return static_cast<double>(Now.tv_sec) * 1e9 +
         static_cast<double>(Now.tv_nsec);
}

/// Runs the training loop and times the iterations after a warm-up.
Timing timeTraining(int Iterations) {
  torch::manual_seed(0);
  Mlp Model;
  torch::optim::SGD Optimizer(Model->parameters(), 0.01);
  torch::Tensor Input = torch::randn({64, 64});
  torch::Tensor Labels = torch::randint(0, 10, {64}, torch::kLong);
  auto Step = [&] {
    TORCH_TIDY_ITERATION();
    Optimizer.zero_grad();
    torch::Tensor Loss =
        torch::nn::functional::cross_entropy(Model(Input), Labels);
    Loss.backward();
    Optimizer.step();
  };
  for (int I = 0; I < 20; ++I) // Warm-up: first-step allocations, caches.
    Step();
  double CpuStart = cpuNow();
  auto Start = std::chrono::steady_clock::now();
  for (int I = 0; I < Iterations; ++I)
    Step();
  auto End = std::chrono::steady_clock::now();
  double Cpu = cpuNow() - CpuStart;
  double Wall = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(End - Start)
          .count());
  return {Wall / Iterations, Cpu / Iterations};
}

std::string selfPath() {
  char Path[4096];
  ssize_t Length = readlink("/proc/self/exe", Path, sizeof(Path) - 1);
  if (Length <= 0)
    return "";
  Path[Length] = '\0';
  return Path;
}

/// Runs one child; false when it failed.
bool runChild(const std::string &Command, Timing &Result) {
  FILE *Pipe = popen(Command.c_str(), "r");
  if (!Pipe)
    return false;
  bool Read =
      std::fscanf(Pipe, "%lf %lf", &Result.WallNs, &Result.CpuNs) == 2;
  return pclose(Pipe) == 0 && Read;
}

double median(std::vector<double> Values) {
  std::sort(Values.begin(), Values.end());
  size_t N = Values.size();
  return N % 2 ? Values[N / 2] : (Values[N / 2 - 1] + Values[N / 2]) / 2;
}

} // namespace

int main(int Argc, char **Argv) {
  torch::set_num_threads(1); // Steadier on a shared machine.
  if (Argc == 3 && std::strcmp(Argv[1], "--child") == 0) {
    Timing T = timeTraining(std::atoi(Argv[2]));
    std::printf("%.0f %.0f\n", T.WallNs, T.CpuNs);
    return 0;
  }
  int Rounds = Argc > 1 ? std::atoi(Argv[1]) : 7;
  int Iterations = Argc > 2 ? std::atoi(Argv[2]) : 400;
  std::string Self = selfPath();
  std::string NoProbe = Self + "_noprobe";
  std::string Report =
      "/tmp/torch-tidy-probe-overhead-" + std::to_string(getpid()) + ".json";
  std::string Args = " --child " + std::to_string(Iterations);
  struct Mode {
    const char *Name;
    std::string Command;
    std::vector<double> Wall, Cpu;
  };
  std::vector<Mode> Modes = {
      {"compiled out", "env -u TORCH_TIDY_REPORT '" + NoProbe + "'" + Args,
       {}, {}},
      {"disabled", "env -u TORCH_TIDY_REPORT '" + Self + "'" + Args, {}, {}},
      {"enabled", "env TORCH_TIDY_REPORT='" + Report + "' '" + Self + "'" + Args,
       {}, {}}};
  for (int Round = 0; Round < Rounds; ++Round)
    for (size_t I = 0; I < Modes.size(); ++I) {
      // Rotate the order so that no mode always runs first.
      Mode &M = Modes[(I + static_cast<size_t>(Round)) % Modes.size()];
      Timing Time{};
      if (!runChild(M.Command, Time)) {
        std::fprintf(stderr, "probe_overhead: '%s' failed\n",
                     M.Command.c_str());
        return 1;
      }
      M.Wall.push_back(Time.WallNs);
      M.Cpu.push_back(Time.CpuNs);
    }
  std::remove(Report.c_str());
  double WallBase = median(Modes[0].Wall), CpuBase = median(Modes[0].Cpu);
  std::printf("%d rounds x %d iterations, medians per iteration "
              "(1 intra-op thread); ratios to compiled out:\n",
              Rounds, Iterations);
  for (const Mode &M : Modes) {
    double Wall = median(M.Wall), Cpu = median(M.Cpu);
    auto [Low, High] = std::minmax_element(M.Cpu.begin(), M.Cpu.end());
    std::printf("  %-13s wall %8.1f us (%.4f)   CPU %8.1f us (%.4f, "
                "min %.1f, max %.1f)\n",
                M.Name, Wall / 1000, Wall / WallBase, Cpu / 1000,
                Cpu / CpuBase, *Low / 1000, *High / 1000);
  }
  return 0;
}
