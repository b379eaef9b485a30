// RUN: %check_torch_tidy %s torch-missing-no-grad %t -- %torch_include

// Inference entry points: nothing in this translation unit trains (no
// backward pass, no optimizer step, no request for gradients), so every
// forward pass with autograd on records a graph for nothing. Serving code
// such as this is called per request from elsewhere (reports against
// Triton's PyTorch backend and an audio plug-in measured several times the
// memory).

#include <torch/script.h>
#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

struct Request {
  torch::Tensor input;
  float *output;
};
void send(float value);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

class Backend {
public:
  void Execute(std::vector<Request *> &batch) {
    std::vector<torch::jit::IValue> inputs;
    for (Request *r : batch)
      inputs.push_back(r->input);
    auto out = module_.forward(inputs).toTensor();
    // CHECK-MESSAGES: :[[@LINE-1]]:16: warning: forward pass in inference code runs with autograd on, so every call records a graph that keeps its activations alive for as long as its output lives: declare 'torch::NoGradGuard no_grad;' before the forward passes [torch-missing-no-grad]
    // CHECK-MESSAGES: :[[@LINE-6]]:8: note: 'Execute' is inference code: nothing in this translation unit runs a backward pass or an optimizer step
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    // CHECK-FIXES-NEXT: {{^}}    std::vector<torch::jit::IValue> inputs;{{$}}
    send(out.mean().item<float>());
  }

private:
  torch::jit::Module module_;
};

struct AudioPlugin {
  void process(torch::Tensor block) {
    auto y = net->forward(block);
    // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: forward pass in inference code runs with autograd on
    // CHECK-MESSAGES: :[[@LINE-3]]:8: note: 'process' is inference code
    // CHECK-FIXES: {{^}}    torch::NoGradGuard no_grad;{{$}}
    // CHECK-FIXES-NEXT: {{^}}    auto y = net->forward(block);{{$}}
    level = y.mean().item<float>();
  }
  Net net{nullptr};
  float level = 0;
};

// Outputs kept through an out-parameter, one per input.
void scoreAll(Net model, const std::vector<torch::Tensor> &inputs,
              std::vector<torch::Tensor> &scores) {
  for (const auto &x : inputs)
    scores.push_back(model(x));
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: forward pass in inference code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-5]]:6: note: 'scoreAll' is inference code
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
}

// The forward pass sits in a helper that returns its output: the helper may
// feed training elsewhere, its caller here does not.
torch::Tensor runModel(Net model, torch::Tensor x) { return model(x); }
void serveForever(Net model, torch::Tensor x) {
  while (true) {
    float p = runModel(model, x).sum().item<float>();
    // CHECK-MESSAGES: :[[@LINE-1]]:15: warning: forward pass in inference code runs with autograd on
    // CHECK-MESSAGES: :[[@LINE-4]]:6: note: 'serveForever' is inference code
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
    send(p);
  }
}

// A TorchScript model is deployed for inference: one forward pass records
// a graph holding every activation until the output dies
// (pytorch/pytorch#17095, out of memory on one image; measured on a
// scripted 512x512 two-layer model, batch 256: forward peak 3.0 MiB
// against 2.5 MiB under NoGradGuard).
float scoreImageOnce(torch::jit::Module &module, torch::Tensor image) {
  std::vector<torch::jit::IValue> inputs{image};
  return module.forward(inputs).toTensor().sum().item<float>();
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in inference code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-4]]:7: note: 'scoreImageOnce' is inference code
}

// Other free functions, main() among them, count only for their loops.
int main() {
  Net model(nullptr);
  auto once = model(torch::ones({1}));
  for (int i = 0; i < 10; ++i)
    send(model(torch::ones({1})).sum().item<float>());
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: forward pass in inference code runs with autograd on
  // CHECK-MESSAGES: :[[@LINE-6]]:5: note: 'main' is inference code
  // CHECK-MESSAGES: :[[@LINE-4]]:3: note: a graph is recorded in every iteration of this loop
  return 0;
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

// Returns the graph: a caller in another file may train on it.
torch::Tensor features(Net model, torch::Tensor x) { return model->forward(x); }

// Guarded here, or by every caller.
void guarded(Net model, torch::Tensor x) {
  torch::NoGradGuard no_grad;
  send(model(x).sum().item<float>());
}
void inferenceMode(Net model, torch::Tensor x) {
  c10::InferenceMode guard;
  send(model(x).sum().item<float>());
}
void calledGuarded(Net model, torch::Tensor x) {
  send(model(x).sum().item<float>());
}
void guardingCaller(Net model, torch::Tensor x) {
  torch::NoGradGuard no_grad;
  calledGuarded(model, x);
}

// Hands the output to code this file cannot see, which may run backward.
void trainOn(torch::Tensor output);
void produce(Net model, torch::Tensor x) { trainOn(model(x)); }

// One-off forward passes outside loops in free functions and constructors:
// demos and set-up steps.
void demoEmbedding(Net model) {
  send(model(torch::ones({3})).sum().item<float>());
}
struct IdealLoss {
  IdealLoss(Net model) { ideal = model(torch::ones({1})).sum().item<float>(); }
  float ideal;
};

// A module's own methods run in their caller's grad mode.
struct Wrapper : torch::nn::Module {
  torch::Tensor twice(torch::Tensor x) { return inner(inner(x)); }
  Net inner{nullptr};
};
