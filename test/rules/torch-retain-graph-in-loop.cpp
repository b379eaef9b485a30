// RUN: %check_torch_tidy %s torch-retain-graph-in-loop %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <utility>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
bool more_batches(torch::Tensor &batch);
void log_and_backward(torch::Tensor t); // Defined in another file.

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void retainWithoutSecondBackward(Net model, torch::Tensor x, torch::Tensor y) {
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward({}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph and its saved tensors after the backward pass, until the last tensor of the graph is destroyed, yet no later backward() in the iteration uses them; remove retain_graph (for a gradient penalty use 'torch::autograd::grad(..., /*create_graph=*/true)') [torch-retain-graph-in-loop]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a new graph is built in each iteration of this loop
  }
}

void retainWithExplicitGradient(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    torch::Tensor out = model(x);
    out.backward(torch::ones({1}), true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph
  }
}

void createGraphNoReset(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, {}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients that carry their own graph, and nothing in this loop resets them, so the cycle parameter -> '.grad' -> grad_fn -> parameter keeps the graph of every iteration alive; compute gradient penalties with 'torch::autograd::grad(..., /*create_graph=*/true)', or reset the gradients each iteration [torch-retain-graph-in-loop]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: gradient graphs pile up across the iterations of this loop
  }
}

void doubleBackwardOnLocalLeaf() {
  // pytorch/pytorch#16744: grows although X is new in every iteration.
  for (int i = 0; i < 500000; ++i) {
    auto X = torch::ones({1}, torch::requires_grad(true));
    auto Y = X * X;
    Y.backward({}, true, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients
    X.grad().backward();
  }
}

void freeFunctionRetain(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    torch::autograd::backward({loss}, {}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph
  }
}

void freeFunctionCreate(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    torch::autograd::backward({loss}, {}, true, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients
  }
}

void whileLoopRetain(Net model) {
  torch::Tensor batch;
  while (more_batches(batch)) {
    torch::Tensor loss = model->forward(batch).mean();
    loss.backward({}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph
  }
}

void doWhileRetain(Net model, torch::Tensor x) {
  int i = 0;
  do {
    auto loss = model(x).sum();
    loss.backward({}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph
  } while (++i < 10);
}

void retainWithZeroGrad(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (auto &batch : batches) {
    opt.zero_grad();
    auto loss = model(batch).mean();
    loss.backward({}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with retain_graph=true keeps this iteration's graph
    opt.step();
  }
}

void gradientPenaltyThroughBackward(Net D, torch::Tensor real) {
  torch::optim::Adam opt(D->parameters());
  for (int i = 0; i < 100; ++i) {
    auto x = real.detach().requires_grad_(true);
    auto out = D(x).sum();
    out.backward({}, {}, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients
    auto penalty = x.grad().norm();
    penalty.backward();
    opt.step();
  }
}

void retainInNestedIf(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    if (i % 2 == 0) {
      if (i % 3 == 0)
        loss.backward({}, true);
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: backward() with retain_graph=true keeps this iteration's graph
    }
  }
}

class Meta {
public:
  void run(torch::Tensor x) {
    for (int i = 0; i < 100; ++i) {
      auto loss = (w_ * x).sum();
      loss.backward({}, {}, true);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: backward() with create_graph=true stores gradients
    }
  }

private:
  torch::Tensor w_ = torch::zeros({1}, torch::requires_grad(true));
};

void createGraphResetOnlyPerEpoch(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int epoch = 0; epoch < 10; ++epoch) {
    opt.zero_grad();
    for (auto &batch : batches) {
      model(batch).sum().backward({}, {}, true);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: backward() with create_graph=true stores gradients
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: gradient graphs pile up across the iterations of this loop
    }
  }
}

// A gradient penalty through backward(create_graph=true) on a leaf made in
// each iteration: zero_grad() resets only the optimizer's parameters, so the
// cycle x -> x.grad -> grad_fn -> x is never freed (the probe measured
// +128 KiB/iteration of tensors on a 256-512-10 critic).
void penaltyCreateGraph(Net critic, torch::optim::SGD &opt, torch::Tensor data) {
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto x = data.clone().requires_grad_(true);
    auto score = critic->forward(x).sum();
    score.backward(torch::Tensor(), true, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients that carry their own graph in 'x', a leaf made in this iteration; that graph refers back to 'x' and zero_grad() does not reset it, so the cycle 'x' -> '.grad' -> grad_fn -> 'x' keeps the graph of every iteration alive; compute the gradient with 'torch::autograd::grad(..., /*create_graph=*/true)', or reset it each iteration ('x.mutable_grad().reset()') [torch-retain-graph-in-loop]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: gradient graphs pile up across the iterations of this loop
    auto penalty = (x.grad().norm() - 1).pow(2).mean();
    auto loss = score + penalty * 10;
    loss.backward();
    opt.step();
  }
}

// The leaf made by a factory option, and switched on after its declaration.
void penaltyFactoryLeaf(Net critic, torch::optim::SGD &opt) {
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto x = torch::ones({4}, torch::requires_grad());
    auto z = torch::ones({4});
    z.requires_grad_();
    critic->forward(x + z).sum().backward({}, true, true);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: backward() with create_graph=true stores gradients that carry their own graph in 'x', a leaf made in this iteration
    opt.step();
  }
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void secondBackwardSameLoss(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, true);
    loss.backward();
  }
}

void secondBackwardSameForward(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto out = model(x);
    auto a = out.sum();
    auto b = out.mean();
    a.backward({}, true);
    b.backward();
  }
}

void gradAfterRetain(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto h = model(x);
    auto loss = h.sum();
    loss.backward({}, true);
    auto g = torch::autograd::grad({loss}, {h});
  }
}

void gradientPenaltyWithGrad(Net D, torch::Tensor real) {
  torch::optim::Adam opt(D->parameters());
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    auto x = real.detach().requires_grad_(true);
    auto out = D(x).sum();
    auto grads = torch::autograd::grad({out}, {x}, {}, true, true);
    auto loss = out + grads[0].norm();
    loss.backward();
    opt.step();
  }
}

void graphBuiltBeforeLoop(Net model, torch::Tensor x) {
  auto loss = model(x).sum();
  for (int i = 0; i < 10; ++i)
    loss.backward({}, true);
}

void lossesBuiltBeforeLoop(Net model, torch::Tensor x) {
  auto out = model(x);
  std::vector<torch::Tensor> losses = {out.sum(), out.mean()};
  for (auto &loss : losses)
    loss.backward({}, true);
}

void aliasOfOuterLoss(Net model, torch::Tensor x) {
  auto outer = model(x).sum();
  for (int i = 0; i < 10; ++i) {
    auto loss = outer;
    loss.backward({}, true);
  }
}

void notInLoop(Net model, torch::Tensor x) {
  auto loss = model(x).sum();
  loss.backward({}, true);
}

void retainFalse(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, false);
  }
}

void nonLiteralFlag(Net model, torch::Tensor x, bool keep) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, keep);
  }
}

void createGraphWithZeroGrad(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    opt.zero_grad();
    model(x).sum().backward({}, {}, true);
    opt.step();
  }
}

void createGraphWithModuleZeroGrad(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    model->zero_grad();
    model(x).sum().backward({}, {}, true);
  }
}

void createGraphGradsReset(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    model(x).sum().backward({}, {}, true);
    for (auto &p : model->parameters())
      p.mutable_grad().reset();
  }
}

void backwardAgain(torch::Tensor t) { t.backward(); }

void secondBackwardInHelper(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, true);
    backwardAgain(loss);
  }
}

void secondBackwardInOpaqueHelper(Net model, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward({}, true);
    log_and_backward(loss);
  }
}

class Keeper {
public:
  void run() {
    for (int i = 0; i < 100; ++i)
      loss_.backward({}, true);
  }

private:
  torch::Tensor loss_;
};

// The per-iteration leaf's gradient is reset before the iteration ends: the
// cycle is broken.
void penaltyLeafReset(Net critic, torch::optim::SGD &opt, torch::Tensor data) {
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto x = data.clone().requires_grad_(true);
    auto score = critic->forward(x).sum();
    score.backward(torch::Tensor(), true, true);
    auto penalty = (x.grad().norm() - 1).pow(2).mean();
    (score + penalty).backward();
    opt.step();
    x.mutable_grad().reset();
  }
}

// A leaf that does not require grad is no leaf of the graph.
void noLeafRequested(Net critic, torch::optim::SGD &opt, torch::Tensor data) {
  for (int i = 0; i < 40; ++i) {
    opt.zero_grad();
    auto x = data.clone().requires_grad_(false);
    critic->forward(x).sum().backward({}, true, true);
    opt.step();
  }
}
