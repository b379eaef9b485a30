// RUN: %check_torch_tidy %s torch-missing-no-grad %t -- %torch_include

// Loops that run a forward pass with autograd on, never run backward and
// let no graph out of their function: every graph dies unused. They are
// found even in a file that trains elsewhere (bench/agreement: each
// positive here peaked 67-76 KiB above its iteration's end with grad mode
// on, and at most 27 KiB under a guard).

#include <torch/torch.h>

#include <cstdio>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

void consume(const torch::Tensor &t);

int lossesNeverBackpropagated(Net net, torch::Tensor x, torch::Tensor y) {
  std::vector<double> losses;
  for (int i = 0; i < 10; ++i) {
    auto out = net(x);
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: forward pass in a loop that never runs backward records a graph in every iteration that nothing uses, and it keeps the activations alive as long as the outputs live: declare 'torch::NoGradGuard no_grad;' before the forward passes [torch-missing-no-grad]
    // CHECK-MESSAGES: :[[@LINE-5]]:5: note: 'lossesNeverBackpropagated' runs no backward pass or optimizer step, and no graph it records leaves it
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
    auto loss = torch::mse_loss(out, y);
    losses.push_back(loss.item<double>());
  }
  return static_cast<int>(losses.size());
}
// CHECK-FIXES: {{^}}int lossesNeverBackpropagated(Net net, torch::Tensor x, torch::Tensor y) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  std::vector<double> losses;{{$}}

void lossPrinted(Net net, torch::Tensor x, torch::Tensor y) {
  for (int i = 0; i < 10; ++i) {
    auto loss = torch::mse_loss(net->forward(x), y);
    // CHECK-MESSAGES: :[[@LINE-1]]:33: warning: forward pass in a loop that never runs backward
    // CHECK-MESSAGES: :[[@LINE-4]]:6: note: 'lossPrinted' runs no backward pass
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
    std::printf("%f\n", loss.item<float>());
  }
}

// Cleared each iteration, the container keeps nothing past it, so
// torch-graph-kept-across-iterations is silent; the graphs are still
// recorded for nothing (the agreement set's train_push_loss_clear_*_never:
// grad mode on at every boundary, 0 backward passes, 77 KiB above the
// iteration's end).
int lossesClearedEachIteration(Net net, torch::Tensor x, torch::Tensor y) {
  std::vector<torch::Tensor> losses;
  int count = 0;
  for (int i = 0; i < 10; ++i) {
    losses.clear();
    losses.push_back(torch::mse_loss(net(x), y));
    // CHECK-MESSAGES: :[[@LINE-1]]:38: warning: forward pass in a loop that never runs backward records a graph in every iteration that nothing uses
    count += static_cast<int>(losses.size());
  }
  return count;
}

// ---------------------------------------------------------------------------
// Negatives: a graph leaves the function, or the loop trains.
// ---------------------------------------------------------------------------

// Graphs kept past the iteration in a local: torch-graph-kept-across-
// iterations reports the loop, with the same advice.
int lossesKept(Net net, torch::Tensor x, torch::Tensor y) {
  std::vector<torch::Tensor> losses;
  for (int i = 0; i < 10; ++i)
    losses.push_back(torch::mse_loss(net(x), y));
  return static_cast<int>(losses.size());
}

// Summed and returned: one graph built on purpose for the caller.
torch::Tensor summedForCaller(Net net, torch::Tensor x, torch::Tensor y) {
  torch::Tensor total = torch::zeros({});
  for (int i = 0; i < 10; ++i)
    total = total + torch::mse_loss(net(x), y);
  return total;
}

// Kept in a member for a later update (policy-gradient log-probabilities).
struct Rollout {
  std::vector<torch::Tensor> logProbs_;
  void collect(Net net, torch::Tensor x) {
    for (int i = 0; i < 10; ++i)
      logProbs_.push_back(net(x));
  }
};

// Kept in an out-parameter, in a static through a helper, or handed to a
// function this file cannot see.
void collectInto(Net net, torch::Tensor x, std::vector<torch::Tensor> &out) {
  for (int i = 0; i < 10; ++i)
    out.push_back(net(x));
}
static void remember(const torch::Tensor &t) {
  static std::vector<torch::Tensor> seen;
  seen.push_back(t);
}
void keptByHelper(Net net, torch::Tensor x) {
  for (int i = 0; i < 10; ++i)
    remember(net(x));
}
void handedOn(Net net, torch::Tensor x) {
  for (int i = 0; i < 10; ++i)
    consume(net(x));
}

// Backward in a helper of this file, or under a guard.
static void step(torch::Tensor loss, torch::optim::SGD &opt) {
  opt.zero_grad();
  loss.backward();
  opt.step();
}
void trainsThroughHelper(Net net, torch::optim::SGD &opt, torch::Tensor x,
                         torch::Tensor y) {
  for (int i = 0; i < 10; ++i)
    step(torch::mse_loss(net(x), y), opt);
}
void guarded(Net net, torch::Tensor x) {
  torch::NoGradGuard no_grad;
  for (int i = 0; i < 10; ++i)
    std::printf("%f\n", net(x).sum().item<float>());
}
