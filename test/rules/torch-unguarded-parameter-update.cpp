// RUN: %check_torch_tidy %s torch-unguarded-parameter-update %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void sgdByHand(Net model, torch::Tensor x, torch::Tensor y, double lr) {
  for (int step = 0; step < 100; ++step) {
    model->zero_grad();
    torch::mse_loss(model(x), y).backward();
    for (auto &p : model->parameters())
      p.sub_(lr * p.grad());
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: parameter 'p' is updated in place with autograd on, which throws for a parameter that requires grad ('a leaf Variable that requires grad is being used in an in-place operation'); update parameters under 'torch::NoGradGuard' [torch-unguarded-parameter-update]
    // CHECK-MESSAGES: :[[@LINE-6]]:3: note: the update runs in every iteration of this loop
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    // CHECK-FIXES-NEXT: {{^}}    for (auto &p : model->parameters()){{$}}
  }
}

void compoundAssignment(Net model, double lr) {
  for (auto &p : model->parameters()) {
    p -= lr * p.grad();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on, which throws
    // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the update runs in every iteration of this loop
  }
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
  // CHECK-FIXES-NEXT: {{^}}  for (auto &p : model->parameters()) {{{$}}
}

void namedParameters(Net model, double lr) {
  for (auto &kv : model->named_parameters())
    kv.value().add_(kv.value().grad(), -lr);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'kv.value()' is updated in place with autograd on
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
}

void chainedWeightDecay(Net model, double lr, double wd) {
  for (auto &kv : model->named_parameters())
    kv->mul_(1 - lr * wd).add_(kv->grad(), -lr);
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'kv' is updated in place with autograd on
}

void averageTwoModels(Net a, Net b) {
  auto pa = a->parameters();
  auto pb = b->parameters();
  for (size_t i = 0; i < pa.size(); ++i)
    pa[i].copy_(0.5 * (pa[i] + pb[i]));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'pa[i]' is updated in place with autograd on: for a parameter that requires grad this throws ('a leaf Variable that requires grad is being used in an in-place operation'), otherwise the update is recorded in the graph and links every step's graph to the one before; update parameters under 'torch::NoGradGuard' [torch-unguarded-parameter-update]
}

// pytorch/pytorch#20146: weight decay added into the gradient with grad on.
void weightDecayIntoGradient(Net model, double lr, double wd) {
  for (auto &p : model->parameters()) {
    auto update = p.grad();
    update += wd * p;
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'update' is a parameter's gradient and is updated in place with a value that carries an autograd graph, so the gradient keeps that graph and each step links to the one before; update it under 'torch::NoGradGuard' [torch-unguarded-parameter-update]
    p.data().add_(update, -lr);
  }
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
}

struct BatchStatsImpl : torch::nn::Module {
  BatchStatsImpl() {
    running_mean_ = register_buffer("running_mean", torch::zeros({4}));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto h = fc(x);
    running_mean_ = 0.9 * running_mean_ + 0.1 * h.mean();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: buffer 'running_mean_' is updated from a value computed with autograd on, so it keeps that value's graph and each step's update links to the one before: the graphs of all steps stay alive; update it under 'torch::NoGradGuard' or from a detached value [torch-unguarded-parameter-update]
    return h;
  }
  torch::nn::Linear fc{4, 4};
  torch::Tensor running_mean_;
};

struct InPlaceStatsImpl : torch::nn::Module {
  InPlaceStatsImpl()
      : running_var_(register_buffer("running_var", torch::ones({4}))) {}
  torch::Tensor forward(torch::Tensor x) {
    auto h = fc(x);
    running_var_.mul_(0.9).add_(h.pow(2).mean(), 0.1);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: buffer 'running_var_' is updated from a value computed with autograd on
    return h;
  }
  torch::nn::Linear fc{4, 4};
  torch::Tensor running_var_;
};

void buffersFromOutside(Net model, torch::Tensor x) {
  for (auto &b : model->buffers())
    b.add_(model(x).mean());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: buffer 'b' is updated from a value computed with autograd on
}

void emaInTrainingLoop(Net model, torch::optim::SGD &optimizer,
                       torch::Tensor x, torch::Tensor y, double decay) {
  std::vector<torch::Tensor> ema;
  for (auto &p : model->parameters())
    ema.push_back(p.detach().clone());
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    torch::mse_loss(model(x), y).backward();
    optimizer.step();
    auto params = model->parameters();
    for (size_t i = 0; i < params.size(); ++i)
      ema[i] = decay * ema[i] + (1 - decay) * params[i];
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'ema[i]' is updated from a parameter with autograd on, so it keeps the parameter's graph and each update links to the one before: the graphs of all steps stay alive; update it under 'torch::NoGradGuard' (or from 'p.detach()') [torch-unguarded-parameter-update]
    // CHECK-MESSAGES: :[[@LINE-8]]:3: note: the update runs in every iteration of this loop
  }
}

// The EMA update in a helper that the training loop hands the parameters
// (bench/agreement's ema_weights_graph_helper_for: +13 KiB/iteration).
void updateEmaCopy(std::vector<torch::Tensor> &ema,
                   const std::vector<torch::Tensor> &params, double decay) {
  for (size_t k = 0; k < params.size(); ++k)
    ema[k] = decay * ema[k] + (1 - decay) * params[k];
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'ema[k]' is updated from a parameter with autograd on
  // CHECK-MESSAGES: :[[@LINE-3]]:3: note: the update runs in every iteration of this loop
}

void emaThroughHelper(Net model, torch::optim::SGD &optimizer,
                      std::vector<torch::Tensor> &ema, torch::Tensor x,
                      torch::Tensor y) {
  std::vector<torch::Tensor> params = model->parameters();
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    torch::mse_loss(model(x), y).backward();
    optimizer.step();
    updateEmaCopy(ema, params, 0.99);
  }
}

class EmaTracker {
public:
  void update(Net &model) {
    for (auto &kv : model->named_parameters())
      shadow_[kv.key()].mul_(decay_).add_(kv.value(), 1 - decay_);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'shadow_[kv.key()]' is updated from a parameter with autograd on
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    // CHECK-FIXES-NEXT: {{^}}    for (auto &kv : model->named_parameters()){{$}}
  }

private:
  std::map<std::string, torch::Tensor> shadow_;
  double decay_ = 0.999;
};

// An optimizer of the user's: its step() must hold the guard, as libtorch's do.
class ManualSGD {
public:
  explicit ManualSGD(Net &model) : params_(model->parameters()) {}
  void step() {
    for (auto &p : params_)
      p.add_(p.grad(), -lr_);
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: parameter 'p' is updated in place with autograd on
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
  }

private:
  std::vector<torch::Tensor> params_;
  double lr_ = 0.1;
};

struct ScaledImpl : torch::nn::Module {
  ScaledImpl() { scale_ = register_parameter("scale", torch::ones({1})); }
  void shrink(double lr) {
    scale_ = scale_ - lr * scale_.grad();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'scale_' is updated from a parameter with autograd on
  }
  torch::Tensor scale_;
};

// A helper called once with autograd on is reported.
void helperStep(Net &model, double lr) {
  for (auto &p : model->parameters())
    p.sub_(lr * p.grad());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
}
void callsHelper(Net &model) {
  {
    torch::NoGradGuard no_grad;
    helperStep(model, 0.1);
  }
  helperStep(model, 0.1);
}

// The loop is followed by a forward pass in the same block: no fix-it.
void updateThenForward(Net model, torch::Tensor x, double lr) {
  for (auto &p : model->parameters())
    p.sub_(lr * p.grad());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on
  // CHECK-FIXES: {{^}}  for (auto &p : model->parameters()){{$}}
  model(x).sum().backward();
}

// Hand-written optimizers that touch gradients with autograd on, guarded
// only around the final parameter update (libtorch's own SGD had this bug,
// pytorch/pytorch#20146): the gradient takes the weight-decay graph, and the
// momentum buffer folds it in, one more link every step.
class MomentumSGD : public torch::optim::Optimizer {
public:
  torch::Tensor step(LossClosure closure = nullptr) override {
    size_t i = 0;
    for (auto &group : param_groups_) {
      for (auto &p : group.params()) {
        auto update = p.grad();
        update += wd_ * p;
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'update' is a parameter's gradient and is updated in place with a value that carries an autograd graph
        // CHECK-MESSAGES: :[[@LINE-5]]:5: note: the update runs in every iteration of this loop
        velocity_[i] = momentum_ * velocity_[i] + update;
        // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: 'velocity_[i]' is updated from a parameter with autograd on
        // CHECK-MESSAGES: :[[@LINE-8]]:5: note: the update runs in every iteration of this loop
        {
          torch::NoGradGuard no_grad;
          p.add_(velocity_[i], -0.01);
        }
        ++i;
      }
    }
    return {};
  }

private:
  std::vector<torch::Tensor> velocity_;
  double wd_ = 1e-4, momentum_ = 0.9;
};

// The gradient replaced by a graph-carrying value, then read into the
// optimizer's state.
class AdamByHand {
public:
  void step() {
    for (size_t i = 0; i < params_.size(); ++i) {
      auto &p = params_[i];
      p.mutable_grad() = p.grad() + wd_ * p;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'p.mutable_grad()' is a parameter's gradient and is updated in place with a value that carries an autograd graph
      // CHECK-MESSAGES: :[[@LINE-4]]:5: note: the update runs in every iteration of this loop
      exp_avg_[i].mul_(b1_).add_(p.grad(), 1 - b1_);
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'exp_avg_[i]' is updated from a parameter with autograd on
      // CHECK-MESSAGES: :[[@LINE-7]]:5: note: the update runs in every iteration of this loop
      torch::NoGradGuard no_grad;
      p.sub_(exp_avg_[i] * 0.001);
    }
  }

private:
  std::vector<torch::Tensor> params_, exp_avg_;
  double wd_ = 1e-4, b1_ = 0.9;
};

// A parameter named `no_grad`, even an unused one, clashes with a guard of
// that name: the guard takes the next free name.
void unusedParameterNamedLikeGuard(Net model, double lr, bool no_grad) {
  for (auto &p : model->parameters())
    p.sub_(lr * p.grad());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on
  // CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
  // CHECK-FIXES-NEXT: {{^}}  for (auto &p : model->parameters()){{$}}
}

// Two loops of one block: each guard has a name of its own.
void twoParameterLoops(Net a, Net b, double lr) {
  for (auto &p : a->parameters())
    p.sub_(lr * p.grad());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on
  for (auto &p : b->parameters())
    p.sub_(lr * p.grad());
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: parameter 'p' is updated in place with autograd on
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void sgdUnderGuard(Net model, torch::Tensor x, torch::Tensor y, double lr) {
  for (int step = 0; step < 100; ++step) {
    model->zero_grad();
    torch::mse_loss(model(x), y).backward();
    torch::NoGradGuard no_grad;
    for (auto &p : model->parameters())
      p.sub_(lr * p.grad());
  }
}

void oldDataIdiom(Net model, double lr) {
  for (auto &p : model->parameters())
    p.data().sub_(lr * p.grad().data());
}

void builtInOptimizer(Net model, torch::optim::SGD &optimizer, torch::Tensor x,
                      torch::Tensor y) {
  for (int step = 0; step < 100; ++step) {
    optimizer.zero_grad();
    torch::mse_loss(model(x), y).backward();
    optimizer.step();
  }
}

struct DetachedStatsImpl : torch::nn::Module {
  DetachedStatsImpl() {
    running_mean_ = register_buffer("running_mean", torch::zeros({4}));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto h = fc(x);
    running_mean_ = 0.9 * running_mean_ + 0.1 * h.mean().detach();
    return h;
  }
  torch::nn::Linear fc{4, 4};
  torch::Tensor running_mean_;
};

struct GuardedStatsImpl : torch::nn::Module {
  GuardedStatsImpl() {
    running_mean_ = register_buffer("running_mean", torch::zeros({4}));
  }
  torch::Tensor forward(torch::Tensor x) {
    auto h = fc(x);
    {
      torch::NoGradGuard no_grad;
      running_mean_.mul_(0.9).add_(h.mean(), 0.1);
    }
    return h;
  }
  torch::nn::Linear fc{4, 4};
  torch::Tensor running_mean_;
};

struct ItemStatsImpl : torch::nn::Module {
  ItemStatsImpl() { loss_ema_ = register_buffer("loss_ema", torch::zeros({})); }
  void record(torch::Tensor loss) {
    loss_ema_.mul_(0.9).add_(loss.item<double>() * 0.1);
  }
  torch::Tensor loss_ema_;
};

// An ordinary forward pass reads parameters but stores into none.
struct AffineImpl : torch::nn::Module {
  AffineImpl() {
    w_ = register_parameter("w", torch::ones({4}));
    b_ = register_parameter("b", torch::zeros({4}));
  }
  torch::Tensor forward(torch::Tensor x) {
    for (int i = 0; i < 3; ++i)
      x = x * w_ + b_;
    return x;
  }
  torch::Tensor w_, b_;
};

// A member named like a running statistic is not a registered buffer.
struct Monitor {
  void observe(Net model, torch::Tensor x) {
    running_mean_ = 0.9 * running_mean_ + 0.1 * model(x).mean();
  }
  torch::Tensor running_mean_ = torch::zeros({1});
};

void helperUnderGuard(Net &model, double lr) {
  for (auto &p : model->parameters())
    p.sub_(lr * p.grad());
}
void callsHelperUnderGuard(Net &model) {
  torch::NoGradGuard no_grad;
  helperUnderGuard(model, 0.1);
}

void emaFromDetached(Net model, std::vector<torch::Tensor> &ema, double d) {
  auto params = model->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    ema[i].mul_(d).add_(params[i].detach(), 1 - d);
}

void emaUnderGuard(Net model, std::vector<torch::Tensor> &ema, double d) {
  torch::NoGradGuard no_grad;
  auto params = model->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    ema[i].mul_(d).add_(params[i], 1 - d);
}

void clipGradientsByHand(Net model, double scale) {
  for (auto &p : model->parameters())
    p.grad().mul_(scale);
}

void loadWeightsUnderInferenceMode(Net model, std::vector<torch::Tensor> &src) {
  c10::InferenceMode guard;
  auto params = model->parameters();
  for (size_t i = 0; i < params.size(); ++i)
    params[i].copy_(src[i]);
}

void gradModeOff(Net model, double lr) {
  torch::autograd::GradMode::set_enabled(false);
  for (auto &p : model->parameters())
    p -= lr * p.grad();
  torch::autograd::GradMode::set_enabled(true);
}

double gradientNorm(Net model) {
  torch::Tensor total = torch::zeros({});
  for (auto &p : model->parameters())
    total += p.grad().norm();
  return total.item<double>();
}

void scaleFrozenParameters(Net model) {
  for (auto &p : model->parameters())
    p.mul_(0.5);
}

// The same optimizers, guarded from the start of the step: the gradient and
// the state are updated with autograd off.
class GuardedMomentumSGD : public torch::optim::Optimizer {
public:
  torch::Tensor step(LossClosure closure = nullptr) override {
    torch::NoGradGuard no_grad;
    size_t i = 0;
    for (auto &group : param_groups_) {
      for (auto &p : group.params()) {
        auto update = p.grad();
        update += wd_ * p;
        velocity_[i] = momentum_ * velocity_[i] + update;
        p.add_(velocity_[i], -0.01);
        ++i;
      }
    }
    return {};
  }

private:
  std::vector<torch::Tensor> velocity_;
  double wd_ = 1e-4, momentum_ = 0.9;
};

class GuardedAdamByHand {
public:
  void step() {
    torch::NoGradGuard no_grad;
    for (size_t i = 0; i < params_.size(); ++i) {
      auto &p = params_[i];
      p.mutable_grad() = p.grad() + wd_ * p;
      exp_avg_[i].mul_(b1_).add_(p.grad(), 1 - b1_);
      p.sub_(exp_avg_[i] * 0.001);
    }
  }

private:
  std::vector<torch::Tensor> params_, exp_avg_;
  double wd_ = 1e-4, b1_ = 0.9;
};

// Reading gradients into the state without any graph-carrying update
// before: a gradient carries no graph of its own.
class PlainMomentum {
public:
  void step() {
    for (size_t i = 0; i < params_.size(); ++i)
      velocity_[i].mul_(0.9).add_(params_[i].grad());
  }

private:
  std::vector<torch::Tensor> params_, velocity_;
};

// The same shape of helper, handed values that are not the model's
// parameters: a running average of detached outputs.
void updateRunningAverage(std::vector<torch::Tensor> &average,
                          const std::vector<torch::Tensor> &values) {
  for (size_t k = 0; k < values.size(); ++k)
    average[k] = 0.9 * average[k] + 0.1 * values[k];
}

void averageDetachedOutputs(Net model, std::vector<torch::Tensor> &average,
                            torch::Tensor x) {
  for (int step = 0; step < 100; ++step) {
    std::vector<torch::Tensor> outs{model(x).detach()};
    updateRunningAverage(average, outs);
  }
}

// Loading weights through a helper that copies under a guard and hands the
// same tensor back (build-your-own-llm's `assign`): the member gets its own
// handle again, nothing is computed. Probed (the same assign on a Linear's
// weight once per training step, 40 steps): flat, +119 B per iteration of
// host heap, no tensor growth.
struct ScaleImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
  torch::Tensor scale_ = register_parameter("scale", torch::ones({8}));
};
TORCH_MODULE(Scale);

void loadScale(Scale norm, const torch::Tensor &loaded) {
  auto assign = [](torch::Tensor left, const torch::Tensor &right) {
    {
      torch::NoGradGuard no_grad;
      left.copy_(right);
    }
    return left;
  };
  norm->scale_ = assign(norm->scale_, loaded);
}
