// RUN: %check_torch_tidy %s torch-missing-no-grad %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <functional>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

torch::Tensor make_batch(int i);
void report(const torch::Tensor &t);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void summarize(Net model) {
  model->eval();
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: forward pass in evaluation code runs with autograd on, so it records a graph that keeps its activations alive for as long as its output lives; 'eval()' does not disable autograd: declare 'torch::NoGradGuard no_grad;' before the forward passes [torch-missing-no-grad]
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: evaluation code starts here; this switches layers such as dropout and batch norm to inference behaviour but leaves autograd on
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
    report(out);
  }
}
// CHECK-FIXES: {{^}}void summarize(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->eval();{{$}}

double evaluate(Net model, const std::vector<torch::Tensor> &batches) {
  double total = 0;
  for (const auto &batch : batches)
    total += model->forward(batch).sum().item<double>();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-5]]:8: note: 'evaluate' is evaluation code by its name and runs no backward pass
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
  return total;
}
// CHECK-FIXES: {{^}}double evaluate(Net model, const std::vector<torch::Tensor> &batches) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  double total = 0;{{$}}

void validate_epoch(Net model, int batches) {
  model->eval();
  for (int i = 0; i < batches; ++i)
    report(model(make_batch(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-4]]:10: note: evaluation code starts here
}
// CHECK-FIXES: {{^}}void validate_epoch(Net model, int batches) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->eval();{{$}}

torch::Tensor runInference(Net model, torch::Tensor input) {
  return model(input);
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-3]]:15: note: 'runInference' is evaluation code by its name
}
// CHECK-FIXES: {{^}}torch::Tensor runInference(Net model, torch::Tensor input) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  return model(input);{{$}}

void scoreWithTrainFalse(Net model) {
  model->train(false);
  while (true) {
    torch::Tensor out = model->forward(make_batch(0));
    // CHECK-MESSAGES: :[[@LINE-1]]:25: warning: forward pass in evaluation code runs with autograd on
    // CHECK-MESSAGES: :[[@LINE-4]]:10: note: evaluation code starts here
    if (out.sum().item<float>() > 0)
      break;
  }
}
// CHECK-FIXES: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->train(false);{{$}}

void test_model(Net model) {
  {
    torch::NoGradGuard no_grad;
    report(make_batch(0));
  }
  report(model(make_batch(1)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on, {{.*}} declare 'torch::NoGradGuard no_grad_guard;'
}
// A guard named `no_grad` in an inner block would hide the new one: it
// takes the next free name.
// CHECK-FIXES: {{^}}void test_model(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}

void predict_all(torch::jit::script::Module &module) {
  module.eval();
  for (int i = 0; i < 10; ++i) {
    std::vector<torch::jit::IValue> inputs{make_batch(i)};
    report(module.forward(inputs).toTensor());
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: forward pass in evaluation code runs with autograd on
  }
}
// CHECK-FIXES: {{^}}void predict_all(torch::jit::script::Module &module) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}

void fit(Net model, torch::optim::SGD &optimizer, torch::Tensor y) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    model->train();
    for (int i = 0; i < 100; ++i) {
      optimizer.zero_grad();
      auto loss = torch::mse_loss(model(make_batch(i)), y);
      loss.backward();
      optimizer.step();
    }
    model->eval();
    for (int i = 0; i < 10; ++i)
      report(model(make_batch(i)));
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in evaluation code runs with autograd on
    // CHECK-MESSAGES: :[[@LINE-4]]:12: note: evaluation code starts here
    // CHECK-MESSAGES: :[[@LINE-4]]:5: note: a graph is recorded in every iteration of this loop
  }
}
// CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}    model->eval();{{$}}

void switchModeWhenAsked(Net model, bool quiet) {
  if (quiet)
    model->eval();
  report(model(make_batch(0)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-3]]:12: note: evaluation code starts here
}

// Called once under a guard and once without: the unguarded call decides.
void evaluate_split(Net model) {
  report(model(make_batch(0)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
}
// CHECK-FIXES: {{^}}void evaluate_split(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  report(model(make_batch(0)));{{$}}
void callsEvaluateSplit(Net model) {
  {
    torch::NoGradGuard no_grad;
    evaluate_split(model);
  }
  evaluate_split(model);
}

// Passed on as a callback: it may run anywhere.
void inferOne(Net model) {
  report(model(make_batch(0)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
}
// CHECK-FIXES: {{^}}void inferOne(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
void schedule(std::function<void(Net)> job);
void schedulesInferOne() {
  torch::NoGradGuard no_grad;
  inferOne(Net(nullptr));
  schedule(inferOne);
}

// Called through a local function pointer that is only called: each call
// is a call of the function, in that call's grad mode. Measured with the
// probe (bench/agreement predict_loopfn_for_callback_xtu): grad mode off
// in the helper, flat memory.
void inferThroughPointer(Net model) { report(model(make_batch(0))); }
void callsThroughPointerUnderGuard() {
  torch::NoGradGuard no_grad;
  void (*infer)(Net) = &inferThroughPointer;
  infer(Net(nullptr));
}

// The same, without the guard: the call through the pointer is a call with
// autograd on.
void inferThroughPointerUnguarded(Net model) {
  report(model(make_batch(0)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
}
// CHECK-FIXES: {{^}}void inferThroughPointerUnguarded(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
void callsThroughPointer() {
  auto *infer = &inferThroughPointerUnguarded;
  (*infer)(Net(nullptr));
}

// A pointer that is passed on lets the function escape, wherever it was
// taken.
void inferThroughPassedPointer(Net model) {
  report(model(make_batch(0)));
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
}
// CHECK-FIXES: {{^}}void inferThroughPassedPointer(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
void passesPointerOn() {
  torch::NoGradGuard no_grad;
  void (*infer)(Net) = inferThroughPassedPointer;
  infer(Net(nullptr));
  schedule(infer);
}

class Evaluator {
public:
  double evaluateAccuracy(const std::vector<torch::Tensor> &batches) {
    double correct = 0;
    for (const auto &batch : batches) {
      auto first = model_(batch);
      // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: forward pass in evaluation code runs with autograd on
      // CHECK-MESSAGES: :[[@LINE-5]]:10: note: 'evaluateAccuracy' is evaluation code by its name
      auto second = model_(batch * 2);
      correct += (first + second).sum().item<double>();
    }
    return correct;
  }
  // CHECK-FIXES: {{^}}  double evaluateAccuracy(const std::vector<torch::Tensor> &batches) {{{$}}
  // CHECK-FIXES-NEXT: {{^}}    torch::NoGradGuard no_grad;{{$}}
  // CHECK-FIXES-NEXT: {{^}}    double correct = 0;{{$}}

private:
  Net model_{nullptr};
};

template <typename Loader> void testTemplate(Net model, Loader &loader) {
  model->eval();
  for (const auto &batch : loader)
    report(model(batch));
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: forward pass in evaluation code runs with autograd on
}
// CHECK-FIXES: {{^}}template <typename Loader> void testTemplate(Net model, Loader &loader) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->eval();{{$}}
void instantiateTestTemplate(Net model, std::vector<torch::Tensor> &batches) {
  testTemplate(model, batches);
}

// A rollout: the environment's step() is no optimizer step.
struct Environment {
  torch::Tensor step(const torch::Tensor &action);
};
void collect_rollout(Net policy, Environment &env, torch::Tensor obs) {
  policy->eval();
  for (int t = 0; t < 200; ++t) {
    auto action = policy(obs);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: forward pass in evaluation code runs with autograd on
    obs = env.step(action);
  }
}
// CHECK-FIXES: {{^}}void collect_rollout(Net policy, Environment &env, torch::Tensor obs) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad;{{$}}
// CHECK-FIXES-NEXT: {{^}}  policy->eval();{{$}}

// Validation called from a training loop still needs its own guard.
void validate_model(Net model) { report(model(make_batch(0))); }
// CHECK-MESSAGES: :[[@LINE-1]]:41: warning: forward pass in evaluation code runs with autograd on
// CHECK-FIXES: {{^}}void validate_model(Net model) { report(model(make_batch(0))); }{{$}}
void trainWithValidation(Net model, torch::optim::SGD &optimizer,
                         torch::Tensor y) {
  for (int epoch = 0; epoch < 10; ++epoch) {
    torch::mse_loss(model(make_batch(epoch)), y).backward();
    optimizer.step();
    validate_model(model);
  }
}

// The same diamond with one unguarded entry: that path runs with grad on.
float validateShared(Net model) {
  model->eval();
  return model(make_batch(0)).sum().item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in evaluation code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-3]]:10: note: evaluation code starts here
}
float validateLeft(Net model) { return validateShared(model); }
float validateRight(Net model) { return validateShared(model); }
float validateBoth(Net model) {
  torch::NoGradGuard no_grad;
  return validateLeft(model) + validateRight(model);
}
float validateUnguarded(Net model) { return validateRight(model); }

// The function reads a global named `no_grad`: a guard of that name would
// hide it, so the guard takes the next free name, in the message too.
bool no_grad = false;
void validate_flagged(Net model) {
  model->eval();
  auto out = model(make_batch(0));
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in evaluation code runs with autograd on, so it records a graph that keeps its activations alive for as long as its output lives; 'eval()' does not disable autograd: declare 'torch::NoGradGuard no_grad_guard;' before the forward passes [torch-missing-no-grad]
  if (no_grad)
    report(out);
}
// CHECK-FIXES: {{^}}void validate_flagged(Net model) {{{$}}
// CHECK-FIXES-NEXT: {{^}}  torch::NoGradGuard no_grad_guard;{{$}}
// CHECK-FIXES-NEXT: {{^}}  model->eval();{{$}}

// A trainer class template (as LibtorchSegmentation's Segmentor<Model>):
// the module's type is a template parameter, so eval() and forward are
// calls the template's definition cannot resolve.
template <class Model> class Trainer {
public:
  void fit(torch::optim::SGD &opt, int epochs) {
    for (int epoch = 0; epoch < epochs; ++epoch) {
      model->train();
      for (int i = 0; i < 10; ++i) {
        opt.zero_grad();
        model->forward(make_batch(i)).sum().backward();
        opt.step();
      }
      model->eval();
      for (int i = 0; i < 10; ++i)
        report(model->forward(make_batch(i)));
      // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: forward pass in evaluation code runs with autograd on
    }
  }

private:
  Model model;
};

// An evaluation function templated on its data, judged on its
// instantiation.
template <typename Batches> double testOverBatches(Net model, Batches &batches) {
  model->eval();
  double total = 0;
  for (auto &batch : batches)
    total += model(batch).sum().template item<double>();
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in evaluation code runs with autograd on
  return total;
}

double testsOnAVector(Net model) {
  std::vector<torch::Tensor> batches;
  return testOverBatches(model, batches);
}

// A module that drives its own training (as mlcpp's MaskRCNNImpl): its
// validation method runs in the grad mode of its own training method.
struct SelfTrainingImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
  double validEpoch() {
    double total = 0;
    for (int i = 0; i < 10; ++i)
      total += forward(make_batch(i)).sum().item<double>();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: forward pass in evaluation code runs with autograd on
    return total;
  }
  void fit(torch::optim::SGD &opt, int epochs) {
    for (int epoch = 0; epoch < epochs; ++epoch) {
      train();
      for (int i = 0; i < 10; ++i) {
        opt.zero_grad();
        forward(make_batch(i)).sum().backward();
        opt.step();
      }
      validEpoch();
    }
  }
};

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void evaluateUnderGuard(Net model) {
  torch::NoGradGuard no_grad;
  model->eval();
  for (int i = 0; i < 100; ++i)
    report(model(make_batch(i)));
}

void inferenceModeAndFriends(Net model) {
  model->eval();
  {
    c10::InferenceMode guard;
    report(model(make_batch(0)));
  }
  {
    torch::AutoGradMode grad_off(false);
    report(model(make_batch(1)));
  }
  torch::autograd::GradMode::set_enabled(false);
  report(model(make_batch(2)));
  torch::autograd::GradMode::set_enabled(true);
}

// AnoGAN: the test loop optimises a latent code, so it needs autograd.
void test_anomaly(Net generator, torch::Tensor image) {
  generator->eval();
  auto z = torch::randn({1, 100});
  z.requires_grad_(true);
  torch::optim::Adam optimizer({z}, torch::optim::AdamOptions(1e-2));
  for (int step = 0; step < 500; ++step) {
    optimizer.zero_grad();
    auto loss = torch::mse_loss(generator(z), image);
    loss.backward();
    optimizer.step();
  }
}

// Saliency maps: gradients with respect to the input.
torch::Tensor evaluate_saliency(Net model, torch::Tensor x) {
  model->eval();
  auto input = x.clone();
  input.set_requires_grad(true);
  auto out = model(input);
  return torch::autograd::grad({out.sum()}, {input})[0];
}

void validate_gradients(Net model) {
  auto x = torch::randn({3}, torch::requires_grad());
  report(model(x));
}

void inferOnPurposeWithGrad(Net model) {
  model->eval();
  torch::AutoGradMode enable_grad(true);
  report(model(make_batch(0)));
}

void latest(Net model) { report(model(make_batch(0))); }
void contest_results(Net model) { report(model(make_batch(0))); }
void attestation(Net model) { report(model(make_batch(0))); }

void evalThenBackToTraining(Net model, torch::Tensor y) {
  model->eval();
  model->train();
  auto loss = torch::mse_loss(model(make_batch(0)), y);
  loss.backward();
}

void validate_and_tune(Net model, torch::optim::SGD &optimizer,
                       torch::Tensor y) {
  model->eval();
  auto loss = torch::mse_loss(model(make_batch(0)), y);
  loss.backward();
  optimizer.step();
}

float train_step(Net model, torch::Tensor y) {
  auto loss = torch::mse_loss(model(make_batch(0)), y);
  loss.backward();
  return loss.item<float>();
}
void test_time_adaptation(Net model, torch::Tensor y) {
  model->eval();
  report(model(make_batch(1)));
  train_step(model, y);
}

// The result is trained on by a caller in this file.
torch::Tensor predict_logits(Net model, torch::Tensor x) { return model(x); }
torch::Tensor compute_loss(Net model, torch::Tensor x, torch::Tensor y) {
  return torch::mse_loss(predict_logits(model, x), y);
}
void trainOnce(Net model, torch::optim::SGD &optimizer, torch::Tensor y) {
  compute_loss(model, make_batch(0), y).backward();
  optimizer.step();
}

// The caller holds the guard.
void evaluate_on(Net model) {
  model->eval();
  report(model(make_batch(0)));
}
void predict_batch(Net model) { evaluate_on(model); }
void runEvaluation(Net model) {
  torch::NoGradGuard no_grad;
  evaluate_on(model);
  predict_batch(model);
}
int main() {
  runEvaluation(Net(nullptr));
  return 0;
}

// A module's own methods run in their caller's grad mode.
struct ClassifierImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
  torch::Tensor predict(torch::Tensor x) { return forward(x).argmax(1); }
};

// Unit tests: GoogleTest's TestBody and Catch2's TEST_CASE functions.
struct NetTest_EvalModeKeepsShape_Test {
  void TestBody();
  Net model{nullptr};
};
void NetTest_EvalModeKeepsShape_Test::TestBody() {
  model->eval();
  report(model(make_batch(0)));
}
static void ____C_A_T_C_H____T_E_S_T____0() {
  Net model(nullptr);
  model->eval();
  report(model(make_batch(0)));
}
#define TEST_CASE(name) static void test_case_body()
TEST_CASE("eval mode") {
  Net model(nullptr);
  model->eval();
  report(model(make_batch(0)));
}

// Not evaluation code at all.
void train_epoch(Net model, torch::Tensor y) {
  for (int i = 0; i < 10; ++i) {
    auto loss = torch::mse_loss(model(make_batch(i)), y);
    loss.backward();
  }
}

// A diamond of callers: evaluateShared() is reached through two paths, and
// every path starts under the guard of runAll(). Both paths count, neither
// looks like recursion.
float evaluateShared(Net model) {
  model->eval();
  return model(make_batch(0)).sum().item<float>();
}
float leftPath(Net model) { return evaluateShared(model); }
float rightPath(Net model) { return evaluateShared(model); }
float bothPaths(Net model) { return leftPath(model) + rightPath(model); }
float runAll(Net model) {
  torch::NoGradGuard no_grad;
  return bothPaths(model);
}

// Recursion entered only under a guard is guarded too.
float evaluateDepth(Net model, int depth) {
  model->eval();
  float here = model(make_batch(depth)).sum().item<float>();
  return depth == 0 ? here : here + evaluateDepth(model, depth - 1);
}
float evaluateAllDepths(Net model) {
  torch::NoGradGuard no_grad;
  return evaluateDepth(model, 3);
}

// The same trainer template with a guard around its validation loop.
template <class Model> class GuardedTrainer {
public:
  void fit(torch::optim::SGD &opt, int epochs) {
    for (int epoch = 0; epoch < epochs; ++epoch) {
      model->train();
      for (int i = 0; i < 10; ++i) {
        opt.zero_grad();
        model->forward(make_batch(i)).sum().backward();
        opt.step();
      }
      model->eval();
      torch::NoGradGuard no_grad;
      for (int i = 0; i < 10; ++i)
        report(model->forward(make_batch(i)));
    }
  }

private:
  Model model;
};

// A module that does not train itself: its evaluation method runs in the
// grad mode its caller chose.
struct PredictorImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
  double validEpoch() {
    double total = 0;
    for (int i = 0; i < 10; ++i)
      total += forward(make_batch(i)).sum().item<double>();
    return total;
  }
};
