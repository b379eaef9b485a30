// Self-attention whose sequence length is the number given as the batch
// size: the score matrix grows with its square, so `torch-tidy fit` must
// warn that the growth is not linear.
#include "batch_args.h"

#include "torch_tidy/probe.h"

#include <torch/torch.h>

int main(int argc, char **argv) {
  BatchArgs args = parseBatchArgs(argc, argv);
  const int64_t sequence = args.batchSize;
  torch::manual_seed(0);
  torch::nn::Linear project(64, 3 * 64);
  project->to(args.device);
  torch::optim::SGD optimizer(project->parameters(),
                              torch::optim::SGDOptions(0.01));
  for (int i = 0; i < args.iterations; ++i) {
    TORCH_TIDY_ITERATION();
    torch::Tensor x = torch::randn({4, sequence, 64}, args.device);
    optimizer.zero_grad();
    auto qkv = project(x).chunk(3, -1);
    torch::Tensor scores =
        torch::softmax(torch::matmul(qkv[0], qkv[1].transpose(1, 2)) / 8, -1);
    torch::Tensor loss = torch::matmul(scores, qkv[2]).square().mean();
    loss.backward();
    optimizer.step();
  }
  std::cout << "trained " << args.iterations << " iterations at sequence "
            << sequence << "\n";
  return 0;
}
