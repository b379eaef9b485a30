// RUN: %check_torch_tidy %s torch-missing-zero-grad %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <memory>
#include <utility>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
bool more_batches(torch::Tensor &batch);

class MyOptimizer : public torch::optim::Optimizer {
public:
  using Optimizer::Optimizer;
  torch::Tensor step(LossClosure closure = nullptr) override;
};

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void neverResets(Net model, torch::Tensor x, torch::Tensor y) {
  torch::optim::SGD sgd(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    auto loss = torch::mse_loss(model(x), y);
    loss.backward();
    sgd.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'sgd' steps with, so each backward() adds to the gradients of all earlier iterations and every step applies their sum (the '.grad' tensors keep their size, but the updates grow and training diverges); call 'sgd.zero_grad()' once per iteration before backward() [torch-missing-zero-grad]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: gradients add up across the iterations of this loop
    // CHECK-FIXES: {{^}}  for (int i = 0; i < 100; ++i) {{[{]}}{{$}}
    // CHECK-FIXES-NEXT: {{^}}    sgd.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    auto loss = torch::mse_loss(model(x), y);{{$}}
  }
}

void throughPointer(Net model, std::vector<torch::Tensor> batches) {
  std::unique_ptr<torch::optim::Optimizer> opt =
      std::make_unique<torch::optim::Adam>(model->parameters());
  for (auto &batch : batches) {
    auto loss = model(batch).mean();
    loss.backward();
    opt->step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'opt' steps with, {{.*}}; call 'opt->zero_grad()' once per iteration before backward()
    // CHECK-FIXES: {{^}}    opt->zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    auto loss = model(batch).mean();{{$}}
  }
}

void whileLoop(Net model) {
  torch::optim::Adam adam(model->parameters(), torch::optim::AdamOptions(1e-3));
  torch::Tensor batch;
  while (more_batches(batch)) {
    torch::Tensor loss = model->forward(batch).sum();
    loss.backward();
    adam.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'adam' steps with
    // CHECK-FIXES: {{^}}    adam.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    torch::Tensor loss = model->forward(batch).sum();{{$}}
  }
}

void resetOncePerEpochOnly(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::AdamW adamw(model->parameters());
  for (int epoch = 0; epoch < 10; ++epoch) {
    adamw.zero_grad();
    for (auto &batch : batches) {
      auto loss = model(batch).mean();
      loss.backward();
      adamw.step();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: nothing in this loop resets the gradients that 'adamw' steps with
      // CHECK-MESSAGES: :[[@LINE-5]]:5: note: gradients add up across the iterations of this loop
      // CHECK-FIXES: {{^}}      adamw.zero_grad();{{$}}
      // CHECK-FIXES-NEXT: {{^}}      auto loss = model(batch).mean();{{$}}
    }
  }
}

void ganGeneratorNeverReset(Net G, Net D, torch::Tensor real) {
  torch::optim::Adam d_opt(D->parameters());
  torch::optim::Adam g_opt(G->parameters());
  for (int i = 0; i < 1000; ++i) {
    D->zero_grad();
    auto fake = G(make_batch(i));
    auto d_loss = D(real).mean() - D(fake.detach()).mean();
    d_loss.backward();
    d_opt.step();
    auto g_loss = D(fake).mean();
    g_loss.backward();
    g_opt.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'g_opt' steps with
    // CHECK-FIXES: {{^}}    g_opt.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    D->zero_grad();{{$}}
  }
}

void applyUpdate(torch::optim::Optimizer &optimizer, torch::Tensor loss) {
  loss.backward();
  optimizer.step();
}

void stepInHelper(Net model, torch::Tensor x) {
  torch::optim::SGD helper_opt(model->parameters(),
                               torch::optim::SGDOptions(0.01));
  for (int i = 0; i < 100; ++i) {
    applyUpdate(helper_opt, model(x).sum());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'helper_opt' steps with
  }
}

class Trainer {
public:
  void run(std::vector<torch::Tensor> batches) {
    for (const auto &batch : batches) {
      auto loss = model_(batch).mean();
      loss.backward();
      optimizer_.step();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: nothing in this loop resets the gradients that 'optimizer_' steps with
      // CHECK-FIXES: {{^}}      optimizer_.zero_grad();{{$}}
      // CHECK-FIXES-NEXT: {{^}}      auto loss = model_(batch).mean();{{$}}
    }
  }

private:
  Net model_{nullptr};
  torch::optim::RMSprop optimizer_{model_->parameters()};
};

void doWhileWithRmsprop(Net model, torch::Tensor x) {
  torch::optim::RMSprop rms(model->parameters());
  int i = 0;
  do {
    model(x).sum().backward();
    rms.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'rms' steps with
    // CHECK-FIXES: {{^}}    rms.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    model(x).sum().backward();{{$}}
  } while (++i < 100);
}

void freeBackward(Net model, torch::Tensor x) {
  torch::optim::Adagrad adagrad(model->parameters());
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    torch::autograd::backward({loss});
    adagrad.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'adagrad' steps with
    // CHECK-FIXES: {{^}}    adagrad.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    auto loss = model(x).sum();{{$}}
  }
}

void customOptimizer(Net model, MyOptimizer &mine, torch::Tensor x) {
  for (int i = 0; i < 100; ++i) {
    model(x).sum().backward();
    mine.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'mine' steps with
    // CHECK-FIXES: {{^}}    mine.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    model(x).sum().backward();{{$}}
  }
}

void microBatchesWithoutReset(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD micro(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int step = 0; step < 100; ++step) {
    for (auto &mb : batches)
      model(mb).mean().backward();
    micro.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: nothing in this loop resets the gradients that 'micro' steps with
    // CHECK-FIXES: {{^}}    micro.zero_grad();{{$}}
    // CHECK-FIXES-NEXT: {{^}}    for (auto &mb : batches){{$}}
  }
}

void stepUnderCondition(Net model, torch::Tensor x) {
  torch::optim::SGD cond_opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    if (i > 0) {
      loss.backward();
      if (i % 4 == 0)
        cond_opt.step();
      // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: nothing in this loop resets the gradients that 'cond_opt' steps with
      // CHECK-FIXES: {{^}}    cond_opt.zero_grad();{{$}}
      // CHECK-FIXES-NEXT: {{^}}    auto loss = model(x).sum();{{$}}
    }
  }
}

void resetBetweenBackwardAndStep(Net model, torch::Tensor x) {
  torch::optim::SGD wiped(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward();
    wiped.zero_grad();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this resets the gradients after backward() and before 'wiped' steps in the same iteration, so the step uses zeros and the gradients of this iteration are lost; reset them before backward() or after step() [torch-missing-zero-grad]
    // CHECK-MESSAGES: :[[@LINE-5]]:3: note: in each iteration of this loop
    wiped.step();
  }
}

void moduleResetBetweenBackwardAndStep(Net model, torch::Tensor x) {
  torch::optim::Adam late(model->parameters());
  for (int i = 0; i < 100; ++i) {
    auto loss = model(x).sum();
    loss.backward();
    if (i % 10 == 0)
      torch::nn::utils::clip_grad_norm_(model->parameters(), 1.0);
    model->zero_grad();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: this resets the gradients after backward() and before 'late' steps in the same iteration
    late.step();
  }
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void standardLoop(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int epoch = 0; epoch < 10; ++epoch) {
    for (auto &batch : batches) {
      opt.zero_grad();
      auto loss = model(batch).mean();
      loss.backward();
      opt.step();
    }
  }
}

void resetAfterStep(Net model, torch::Tensor x) {
  torch::optim::Adam opt(model->parameters());
  for (int i = 0; i < 100; ++i) {
    model(x).sum().backward();
    opt.step();
    opt.zero_grad();
  }
}

void gradientAccumulation(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  const int N = 4;
  for (int i = 0; i < static_cast<int>(batches.size()); ++i) {
    auto loss = model(batches[i]).mean() / N;
    loss.backward();
    if ((i + 1) % N == 0) {
      opt.step();
      opt.zero_grad();
    }
  }
}

void gradientAccumulationResetFirst(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    if (i % 4 == 0)
      opt.zero_grad();
    model(x).sum().backward();
    if ((i + 1) % 4 == 0)
      opt.step();
  }
}

void moduleZeroGrad(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    model->zero_grad();
    model(x).sum().backward();
    opt.step();
  }
}

void ganCorrect(Net G, Net D, torch::Tensor real) {
  torch::optim::Adam d_opt(D->parameters());
  torch::optim::Adam g_opt(G->parameters());
  for (int i = 0; i < 1000; ++i) {
    D->zero_grad();
    auto fake = G(make_batch(i));
    auto d_loss = D(real).mean() - D(fake.detach()).mean();
    d_loss.backward();
    G->zero_grad(); // Resets the generator, not what d_opt steps with.
    d_opt.step();
    auto g_loss = D(fake).mean();
    g_loss.backward();
    g_opt.step();
  }
}

void parameterGradsReset(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    for (auto &p : model->parameters())
      p.mutable_grad().reset();
    model(x).sum().backward();
    opt.step();
  }
}

void parameterGradsAssigned(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    for (auto &p : model->parameters())
      p.mutable_grad() = torch::Tensor();
    model(x).sum().backward();
    opt.step();
  }
}

void parameterGradsZeroed(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    model(x).sum().backward();
    opt.step();
    for (auto &p : model->parameters())
      if (p.grad().defined())
        p.grad().zero_();
  }
}

void trainStep(Net &model, torch::optim::Optimizer &opt, torch::Tensor x) {
  opt.zero_grad();
  model(x).sum().backward();
  opt.step();
}

void stepsInCompleteHelper(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i)
    trainStep(model, opt, x);
}

void resetGrads(Net &model) { model->zero_grad(); }

void resetInHelper(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    resetGrads(model);
    model(x).sum().backward();
    opt.step();
  }
}

void clearGradients(torch::optim::Optimizer &opt); // Defined elsewhere.

void resetInOpaqueHelper(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    clearGradients(opt);
    model(x).sum().backward();
    opt.step();
  }
}

void lbfgsClosure(Net model, torch::Tensor x) {
  torch::optim::LBFGS opt(model->parameters());
  for (int i = 0; i < 10; ++i) {
    opt.step([&] {
      opt.zero_grad();
      auto loss = model(x).sum();
      loss.backward();
      return loss;
    });
  }
}

void stepWithoutBackwardInLoop(Net model, torch::Tensor x) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  model(x).sum().backward();
  for (int i = 0; i < 3; ++i)
    opt.step();
}

void manualGradients(Net model, torch::Tensor w, torch::Tensor x) {
  torch::optim::SGD opt({w}, torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    auto loss = (w * model(x)).sum();
    auto grads = torch::autograd::grad({loss}, {w});
    w.mutable_grad() = grads[0];
    opt.step();
  }
}

void optimizerPerTrial(std::vector<Net> models, torch::Tensor x) {
  for (auto &model : models) {
    torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
    model(x).sum().backward();
    opt.step();
  }
}

void secondBackwardAfterReset(Net model, torch::Tensor x, torch::Tensor y) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (int i = 0; i < 100; ++i) {
    model(x).sum().backward();
    opt.zero_grad();
    model(y).sum().backward();
    opt.step();
  }
}

void resetAtStartWithContinue(Net model, std::vector<torch::Tensor> batches) {
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.1));
  for (auto &batch : batches) {
    opt.zero_grad();
    if (!batch.defined())
      continue;
    model(batch).sum().backward();
    opt.step();
  }
}
