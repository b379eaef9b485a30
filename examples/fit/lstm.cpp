// A one-layer LSTM over 32-step sequences of 64 features (hidden size 128,
// a linear head on the last step, RMSprop) trained at a batch size given on
// the command line, for `torch-tidy fit`.
#include "batch_args.h"

#include "torch_tidy/probe.h"

#include <torch/torch.h>

struct SequenceModelImpl : torch::nn::Module {
  SequenceModelImpl()
      : lstm(register_module(
            "lstm", torch::nn::LSTM(
                        torch::nn::LSTMOptions(64, 128).batch_first(true)))),
        head(register_module("head", torch::nn::Linear(128, 10))) {}
  torch::Tensor forward(torch::Tensor x) {
    torch::Tensor steps = std::get<0>(lstm(x));
    return head(steps.select(1, -1));
  }
  torch::nn::LSTM lstm;
  torch::nn::Linear head;
};
TORCH_MODULE(SequenceModel);

int main(int argc, char **argv) {
  BatchArgs args = parseBatchArgs(argc, argv);
  torch::manual_seed(0);
  SequenceModel model;
  model->to(args.device);
  torch::optim::RMSprop optimizer(model->parameters(),
                                  torch::optim::RMSpropOptions(1e-3));
  for (int i = 0; i < args.iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor x = torch::randn({args.batchSize, 32, 64}, args.device);
    torch::Tensor y =
        torch::randint(0, 10, {args.batchSize},
                       torch::TensorOptions(torch::kLong).device(args.device));
    optimizer.zero_grad();
    torch::Tensor loss = torch::nn::functional::cross_entropy(model(x), y);
    loss.backward();
    optimizer.step();
  }
  std::cout << "trained " << args.iterations << " iterations at batch size "
            << args.batchSize << "\n";
  return 0;
}
