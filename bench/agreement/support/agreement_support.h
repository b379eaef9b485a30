// Shared by the generated agreement programs (bench/agreement): a tiny
// model, synthetic batches and an in-memory dataset. Small on purpose, so
// that an iteration takes milliseconds, but with enough saved activations
// that a forward pass with autograd on is visible in the probe's
// per-iteration peak.
#ifndef TORCH_TIDY_BENCH_AGREEMENT_SUPPORT_H
#define TORCH_TIDY_BENCH_AGREEMENT_SUPPORT_H

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace agreement {

constexpr int kIterations = 33;
constexpr int64_t kBatch = 16;
constexpr int64_t kFeatures = 32;
constexpr int64_t kHidden = 128;
constexpr int64_t kClasses = 10;

/// Four linear layers with x * sigmoid(x) between them: with autograd on,
/// each activation keeps its input and its sigmoid alive until backward.
struct TinyNetImpl : torch::nn::Module {
  TinyNetImpl()
      : in(register_module("in", torch::nn::Linear(kFeatures, kHidden))),
        mid1(register_module("mid1", torch::nn::Linear(kHidden, kHidden))),
        mid2(register_module("mid2", torch::nn::Linear(kHidden, kHidden))),
        out(register_module("out", torch::nn::Linear(kHidden, kClasses))) {}

  torch::Tensor forward(torch::Tensor x) {
    x = in(x);
    x = x * torch::sigmoid(x);
    x = mid1(x);
    x = x * torch::sigmoid(x);
    x = mid2(x);
    x = x * torch::sigmoid(x);
    return out(x);
  }

  torch::nn::Linear in, mid1, mid2, out;
};
TORCH_MODULE(TinyNet);

/// A recurrent cell for streaming state: h' = tanh(W (silu layers of
/// (A x + B h))). As deep as TinyNet, so that a step with autograd on
/// holds as many saved activations.
struct TinyCellImpl : torch::nn::Module {
  TinyCellImpl()
      : input(register_module("input", torch::nn::Linear(kFeatures, kHidden))),
        state(register_module("state", torch::nn::Linear(kHidden, kHidden))),
        mid(register_module("mid", torch::nn::Linear(kHidden, kHidden))),
        out(register_module("out", torch::nn::Linear(kHidden, kHidden))) {}

  torch::Tensor forward(torch::Tensor x, torch::Tensor h) {
    torch::Tensor z = input(x) + state(h);
    z = z * torch::sigmoid(z);
    z = mid(z);
    z = z * torch::sigmoid(z);
    return torch::tanh(out(z));
  }

  torch::nn::Linear input, state, mid, out;
};
TORCH_MODULE(TinyCell);

/// Batch `index`: kBatch samples of kFeatures, the same for every run.
inline torch::Tensor batchInput(int64_t index) {
  return torch::randn({kBatch, kFeatures},
                      torch::Generator(at::detail::createCPUGenerator(
                          static_cast<uint64_t>(1000 + index))));
}

/// Labels of batch `index`.
inline torch::Tensor batchLabels(int64_t index) {
  return torch::randint(0, kClasses, {kBatch},
                        torch::Generator(at::detail::createCPUGenerator(
                            static_cast<uint64_t>(2000 + index))),
                        torch::kLong);
}

/// `count` batches, for range-for loops over a vector of batches.
inline std::vector<torch::data::Example<>> makeBatches(int count) {
  std::vector<torch::data::Example<>> batches;
  for (int i = 0; i < count; ++i)
    batches.emplace_back(batchInput(i), batchLabels(i));
  return batches;
}

/// An in-memory dataset of `batches * kBatch` samples, for torch::data
/// loaders.
class TinyDataset : public torch::data::datasets::Dataset<TinyDataset> {
public:
  explicit TinyDataset(int batches)
      : inputs_(torch::cat(
            [&] {
              std::vector<torch::Tensor> parts;
              for (int i = 0; i < batches; ++i)
                parts.push_back(batchInput(i));
              return parts;
            }())),
        labels_(torch::cat([&] {
          std::vector<torch::Tensor> parts;
          for (int i = 0; i < batches; ++i)
            parts.push_back(batchLabels(i));
          return parts;
        }())) {}

  torch::data::Example<> get(size_t index) override {
    return {inputs_[static_cast<int64_t>(index)],
            labels_[static_cast<int64_t>(index)]};
  }

  torch::optional<size_t> size() const override {
    return static_cast<size_t>(inputs_.size(0));
  }

private:
  torch::Tensor inputs_;
  torch::Tensor labels_;
};

/// A sequential loader over TinyDataset, kBatch samples a batch.
inline auto makeLoader(int batches) {
  return torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      TinyDataset(batches).map(torch::data::transforms::Stack<>()),
      torch::data::DataLoaderOptions().batch_size(kBatch));
}

} // namespace agreement

#endif // TORCH_TIDY_BENCH_AGREEMENT_SUPPORT_H
