// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// A classifier training loop with two real mistakes: the epoch loss is
// summed as a tensor (every step's graph stays alive) and the gradients are
// never reset (each step uses the sum of all past gradients).

#include <torch/torch.h>

#include <iostream>
#include <vector>

struct ClassifierImpl : torch::nn::Module {
  ClassifierImpl()
      : hidden(register_module("hidden", torch::nn::Linear(784, 128))),
        output(register_module("output", torch::nn::Linear(128, 10))) {}
  torch::Tensor forward(torch::Tensor x) {
    return output(torch::relu(hidden(x)));
  }
  torch::nn::Linear hidden, output;
};
TORCH_MODULE(Classifier);

struct Batch {
  torch::Tensor images;
  torch::Tensor labels;
};

void train(Classifier &model, const std::vector<Batch> &batches, int epochs) {
  torch::optim::SGD optimizer(model->parameters(),
                              torch::optim::SGDOptions(0.01).momentum(0.9));
  for (int epoch = 0; epoch < epochs; ++epoch) {
    torch::Tensor epoch_loss = torch::zeros({});
    for (const Batch &batch : batches) {
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          model(batch.images), batch.labels);
      loss.backward();
      optimizer.step();
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: {{.*}} [torch-missing-zero-grad]
      epoch_loss += loss;
      // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: 'epoch_loss' accumulates a tensor that carries an autograd graph{{.*}} [torch-graph-kept-across-iterations]
    }
    std::cout << "epoch " << epoch << " loss "
              << epoch_loss.item<double>() / batches.size() << "\n";
  }
}
