// RUN: %check_torch_tidy %s torch-tensors-accumulated-on-device %t -- %torch_include

#include <torch/script.h>
#include <torch/torch.h>

#include <deque>
#include <tuple>
#include <utility>
#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

std::vector<torch::Tensor> GlobalFeatures;
torch::Tensor make_batch(int i);

// ---------------------------------------------------------------------------
// Positives
// ---------------------------------------------------------------------------

void keepsDetachedOutputsOfACudaModel(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i)).detach();
    outputs.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outputs' outlives the loop iteration and each appended tensor stays on the CUDA device, so GPU memory grows with every iteration; move it to the host first ('.cpu()', or '.item()' for a scalar) [torch-tensors-accumulated-on-device]
    // CHECK-MESSAGES: :[[@LINE-4]]:3: note: device memory piles up across the iterations of this loop
    // CHECK-FIXES: {{^}}    outputs.push_back(out.cpu());{{$}}
  }
}

void inputsMovedWithCuda(Net model) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> logits;
  for (int i = 0; i < 100; ++i) {
    torch::Tensor x = make_batch(i).cuda();
    torch::Tensor out = model->forward(x);
    logits.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'logits' outlives the loop iteration and each appended tensor stays on the CUDA device
    // CHECK-FIXES: {{^}}    logits.push_back(out.cpu());{{$}}
  }
}

void deviceVariableFromKCuda(Net model) {
  torch::Device device(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> features;
  for (int i = 0; i < 100; ++i) {
    auto x = make_batch(i).to(device);
    features.emplace_back(model(x).softmax(1));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'features' outlives the loop iteration
  }
}

void deviceVariableWithIndex(Net model) {
  torch::Device device = torch::Device(torch::kCUDA, 1);
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i) {
    auto x = model(make_batch(i).to(device));
    kept.push_back(x);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
    // CHECK-FIXES: {{^}}    kept.push_back(x.cpu());{{$}}
  }
}

void deviceFromAString(Net model) {
  torch::Device device("cuda:0");
  std::deque<torch::Tensor> window;
  for (int i = 0; i < 100; ++i) {
    torch::Tensor x = make_batch(i).to(device);
    window.push_back(model(x) * 2);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'window' outlives the loop iteration
  }
}

void deviceChosenAtRunTime(Net model) {
  // The usual idiom: CUDA whenever the machine has it.
  torch::Device device(torch::cuda::is_available() ? torch::kCUDA
                                                   : torch::kCPU);
  model->to(device);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    outputs.push_back(out);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'outputs' outlives the loop iteration
  }
}

void deviceSwitchedOnWhenAvailable(Net model) {
  torch::Device device(torch::kCPU);
  if (torch::cuda::is_available())
    device = torch::Device(torch::kCUDA);
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i) {
    auto x = model->forward(make_batch(i).to(device)).detach();
    kept.push_back(x);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  }
}

void toKCudaDirectly(Net model) {
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i)
    kept.push_back(model(make_batch(i)).to(torch::kCUDA));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
}

void generatorFedCudaNoise(Net generator) {
  std::vector<torch::Tensor> samples;
  for (int i = 0; i < 100; ++i) {
    auto z = torch::randn({64, 128}, torch::device(torch::kCUDA));
    samples.push_back(generator(z).detach());
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'samples' outlives the loop iteration
  }
}

class Evaluator {
public:
  void run(Net model) {
    model->to(torch::kCUDA);
    torch::NoGradGuard no_grad;
    for (int i = 0; i < 100; ++i)
      history_.push_back(model(make_batch(i)).detach());
    // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'history_' outlives the loop iteration
  }

private:
  std::vector<torch::Tensor> history_;
};

void intoAGlobal(Net encoder) {
  for (int i = 0; i < 10; ++i)
    GlobalFeatures.push_back(encoder(make_batch(i).cuda()));
  // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'GlobalFeatures' outlives the loop iteration
}

void staticInsideTheLoop(Net model) {
  for (int i = 0; i < 10; ++i) {
    static std::vector<torch::Tensor> kept;
    kept.push_back(model(make_batch(i).cuda()));
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  }
}

torch::Tensor embed(Net &encoder, torch::Tensor x) {
  return encoder(x.cuda()) * 2;
}

void throughAHelper(Net encoder) {
  std::vector<torch::Tensor> embeddings;
  for (int i = 0; i < 10; ++i) {
    auto e = embed(encoder, make_batch(i));
    embeddings.push_back(e);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'embeddings' outlives the loop iteration
  }
}

void clearedOnlyPerEpoch(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int epoch = 0; epoch < 10; ++epoch) {
    outputs.clear();
    for (int i = 0; i < 100; ++i) {
      outputs.push_back(model(make_batch(i)));
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'outputs' outlives the loop iteration
      // CHECK-MESSAGES: :[[@LINE-3]]:5: note: device memory piles up across the iterations of this loop
    }
  }
}

void dtypeChangeKeepsTheDevice(Net model) {
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 10; ++i) {
    auto x = model(make_batch(i).cuda()).to(torch::kFloat);
    kept.push_back(x);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'kept' outlives the loop iteration
  }
}

// ---------------------------------------------------------------------------
// Negatives
// ---------------------------------------------------------------------------

void movedToCpuBeforeAppending(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    outputs.push_back(out.cpu());
  }
}

void movedBackWithToKCpu(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i)).to(torch::kCPU);
    outputs.push_back(out);
  }
}

void variableMovedBack(Net model) {
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i) {
    auto x = model(make_batch(i).cuda());
    x = x.cpu();
    kept.push_back(x);
  }
}

void argmaxIsSmall(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> preds;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    preds.push_back(out.argmax(1));
  }
}

void reductionsThroughAVariable(Net model) {
  model->to(torch::kCUDA);
  std::vector<torch::Tensor> losses;
  std::vector<torch::Tensor> sums;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    auto loss = torch::mse_loss(out, make_batch(i).cuda()).detach();
    losses.push_back(loss);
    auto total = out.sum();
    sums.push_back(total.detach());
  }
}

void clearedEveryIteration(Net model) {
  std::vector<torch::Tensor> scratch;
  for (int i = 0; i < 100; ++i) {
    scratch.push_back(model(make_batch(i).cuda()));
    scratch.clear();
  }
}

void boundedWindow(Net model) {
  std::deque<torch::Tensor> window;
  for (int i = 0; i < 100; ++i) {
    window.push_back(model(make_batch(i).cuda()));
    if (window.size() > 4)
      window.pop_front();
  }
}

void containerInsideTheLoop(Net model) {
  for (int i = 0; i < 100; ++i) {
    std::vector<torch::Tensor> parts;
    parts.push_back(model(make_batch(i).cuda()));
    parts.push_back(model(make_batch(i + 1).cuda()));
  }
}

void notKnownToBeOnCuda(Net model) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 100; ++i)
    outputs.push_back(model(make_batch(i)));
}

void deviceFromAParameter(Net model, torch::Device device) {
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i)
    kept.push_back(model(make_batch(i).to(device)));
}

void explicitlyOnTheCpu(Net model) {
  torch::Device device(torch::kCPU);
  model->to(device);
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 100; ++i)
    kept.push_back(model(make_batch(i).to(device)));
}

void notInALoop(Net model) {
  std::vector<torch::Tensor> kept;
  kept.push_back(model(make_batch(0).cuda()));
}

struct RecurrentImpl : torch::nn::Module {
  torch::nn::Linear cell{16, 16};
  // A forward collects its steps on purpose and returns them: they live for
  // one call.
  torch::Tensor forward(torch::Tensor x) {
    std::vector<torch::Tensor> steps;
    torch::Tensor h = x.cuda();
    for (int t = 0; t < 10; ++t) {
      h = cell(h);
      steps.push_back(h);
    }
    return torch::stack(steps);
  }
};

void scalarsKeptOnTheHost(Net model) {
  model->to(torch::kCUDA);
  std::vector<float> losses;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    losses.push_back(out.mean().item<float>());
  }
}

void maxWithIndices(Net model) {
  model->to(torch::kCUDA);
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> preds;
  for (int i = 0; i < 100; ++i) {
    auto out = model(make_batch(i));
    preds.push_back(out.argmax(1).eq(make_batch(i).cuda()));
  }
}

void lambdaDefinedInALoop(Net model) {
  model->to(torch::kCUDA);
  std::vector<torch::Tensor> kept;
  for (int i = 0; i < 10; ++i) {
    auto keep = [&](int j) { kept.push_back(model(make_batch(j))); };
    keep(i);
  }
}

void datasetPreloadedToTheGpu(const std::vector<torch::Tensor> &images) {
  // Moving the inputs once is a deliberate speed-up, bounded by the data.
  torch::Device device(torch::kCUDA);
  std::vector<torch::Tensor> on_device;
  for (const auto &image : images)
    on_device.push_back(image.to(device));
}

void noiseDrawnOnTheGpu() {
  std::vector<torch::Tensor> noise;
  for (int i = 0; i < 10; ++i)
    noise.push_back(torch::randn({64, 128}, torch::device(torch::kCUDA)));
}

void lossModuleOutputIsSmall(Net model, torch::nn::CrossEntropyLoss criterion) {
  model->to(torch::kCUDA);
  std::vector<torch::Tensor> losses;
  for (int i = 0; i < 10; ++i) {
    auto out = model(make_batch(i));
    losses.push_back(criterion(out, make_batch(i).cuda()).detach());
  }
}

// Per-sample outputs collected for one batch's loss and consumed by its
// backward pass: freed with every batch (found in public LoRA fine-tuning
// code).
void perSampleLogitsForOneLoss(Net model, torch::optim::SGD &opt,
                               torch::Tensor target) {
  model->to(torch::kCUDA);
  for (int batch = 0; batch < 100; ++batch) {
    std::vector<torch::Tensor> logits;
    for (int sample = 0; sample < 8; ++sample)
      logits.push_back(model(make_batch(sample)));
    opt.zero_grad();
    torch::mse_loss(torch::cat(logits), target).backward();
    opt.step();
  }
}

// ... but an epoch's outputs kept across its batches, with backward inside
// the inner loop, still grow.
void epochOutputsKept(Net model, torch::optim::SGD &opt, torch::Tensor target) {
  model->to(torch::kCUDA);
  for (int epoch = 0; epoch < 10; ++epoch) {
    std::vector<torch::Tensor> outputs;
    for (int i = 0; i < 100; ++i) {
      auto out = model(make_batch(i));
      opt.zero_grad();
      torch::mse_loss(out, target).backward();
      opt.step();
      outputs.push_back(out.detach());
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'outputs' outlives the loop iteration and each appended tensor stays on the CUDA device
      // CHECK-MESSAGES: :[[@LINE-7]]:5: note: device memory piles up across the iterations of this loop
    }
  }
}

// A module's own method that returns one feature map per stage (an
// encoder's `features()`) is bounded by the model.
struct EncoderImpl : torch::nn::Module {
  std::vector<torch::Tensor> features(torch::Tensor x) {
    std::vector<torch::Tensor> maps;
    for (int stage = 0; stage < 5; ++stage) {
      x = stages[stage](x.cuda());
      maps.push_back(x);
    }
    return maps;
  }
  std::vector<Net> stages;
};
