// The demo MLP (256-512-10, SGD) trained at a batch size given on the
// command line, for `torch-tidy fit`. `--autocast` runs the forward pass
// under autocast (bfloat16 on the CPU, float16 on CUDA).
#include "batch_args.h"

#include "torch_tidy/probe.h"

#include <torch/torch.h>

struct MlpImpl : torch::nn::Module {
  MlpImpl()
      : hidden(register_module("hidden", torch::nn::Linear(256, 512))),
        output(register_module("output", torch::nn::Linear(512, 10))) {}
  torch::Tensor forward(torch::Tensor x) {
    return output(torch::relu(hidden(x)));
  }
  torch::nn::Linear hidden;
  torch::nn::Linear output;
};
TORCH_MODULE(Mlp);

int main(int argc, char **argv) {
  BatchArgs args = parseBatchArgs(argc, argv);
  torch::manual_seed(0);
  Mlp model;
  model->to(args.device);
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.01));
  for (int i = 0; i < args.iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor x = torch::randn({args.batchSize, 256}, args.device);
    torch::Tensor y =
        torch::randint(0, 10, {args.batchSize},
                       torch::TensorOptions(torch::kLong).device(args.device));
    optimizer.zero_grad();
    setAutocast(args.device, args.autocast);
    torch::Tensor logits = model(x);
    setAutocast(args.device, false);
    at::autocast::clear_cache();
    torch::Tensor loss =
        torch::nn::functional::cross_entropy(logits.to(torch::kFloat), y);
    loss.backward();
    optimizer.step();
  }
  std::cout << "trained " << args.iterations << " iterations at batch size "
            << args.batchSize << "\n";
  return 0;
}
