// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// The same training loop written correctly: no finding.

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
  model->train();
  for (int epoch = 0; epoch < epochs; ++epoch) {
    double epoch_loss = 0;
    int64_t correct = 0;
    for (const Batch &batch : batches) {
      optimizer.zero_grad();
      torch::Tensor logits = model(batch.images);
      torch::Tensor loss =
          torch::nn::functional::cross_entropy(logits, batch.labels);
      loss.backward();
      optimizer.step();
      epoch_loss += loss.item<double>();
      correct += logits.argmax(1).eq(batch.labels).sum().item<int64_t>();
    }
    std::cout << "epoch " << epoch << " loss " << epoch_loss / batches.size()
              << " correct " << correct << "\n";
  }
}
