// A small convolutional network (two conv layers, max pooling, a linear
// classifier; 1x28x28 inputs, Adam) trained at a batch size given on the
// command line, for `torch-tidy fit`.
#include "batch_args.h"

#include "torch_tidy/probe.h"

#include <torch/torch.h>

struct CnnImpl : torch::nn::Module {
  CnnImpl()
      : conv1(register_module(
            "conv1",
            torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 16, 3).padding(1)))),
        conv2(register_module(
            "conv2",
            torch::nn::Conv2d(torch::nn::Conv2dOptions(16, 32, 3).padding(1)))),
        classifier(
            register_module("classifier", torch::nn::Linear(32 * 7 * 7, 10))) {}
  torch::Tensor forward(torch::Tensor x) {
    x = torch::max_pool2d(torch::relu(conv1(x)), 2);
    x = torch::max_pool2d(torch::relu(conv2(x)), 2);
    return classifier(x.flatten(1));
  }
  torch::nn::Conv2d conv1, conv2;
  torch::nn::Linear classifier;
};
TORCH_MODULE(Cnn);

int main(int argc, char **argv) {
  BatchArgs args = parseBatchArgs(argc, argv);
  torch::manual_seed(0);
  Cnn model;
  model->to(args.device);
  torch::optim::Adam optimizer(model->parameters(),
                               torch::optim::AdamOptions(1e-3));
  for (int i = 0; i < args.iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor x = torch::randn({args.batchSize, 1, 28, 28}, args.device);
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
