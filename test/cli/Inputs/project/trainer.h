// A trainer split over files as real projects are: the loops are in
// train.cpp, the helpers they call in the other files.
#pragma once

#include <torch/torch.h>

#include <vector>

struct NetImpl : torch::nn::Module {
  torch::Tensor forward(torch::Tensor x);
};
TORCH_MODULE(Net);

struct Batch {
  torch::Tensor data;
  torch::Tensor target;
};

// metrics.cpp
void record_loss(const torch::Tensor &loss);
void print_loss(const torch::Tensor &loss);
// loss.cpp
torch::Tensor batch_loss(Net &net, const Batch &batch);
torch::Tensor batch_loss_detached(Net &net, const Batch &batch);
// relay.cpp
torch::Tensor relay_loss(Net &net, const Batch &batch);
void note_loss(const torch::Tensor &loss);
void note_loss_value(const torch::Tensor &loss);
// ema.cpp
void blend_weights(std::vector<torch::Tensor> &shadow, Net &net, double d);
void blend_weights_slow(std::vector<torch::Tensor> &shadow, Net &net,
                        double d);
// eval.cpp
double accuracy(Net &net, const std::vector<Batch> &batches);
double accuracy_on_holdout(Net &net, const std::vector<Batch> &batches);
// ema.cpp: the same update, handed a parameter list by its caller.
void blend_list(std::vector<torch::Tensor> &shadow,
                std::vector<torch::Tensor> src, double d);
void blend_list_copy(std::vector<torch::Tensor> &shadow,
                     std::vector<torch::Tensor> src, double d);
// eval.cpp: outputs kept in the caller's vector.
void collect_outputs(Net &net, const std::vector<Batch> &batches,
                     std::vector<torch::Tensor> &into);
void collect_outputs_unguarded(Net &net, const std::vector<Batch> &batches,
                               std::vector<torch::Tensor> &into);
// eval.cpp: handed on as callbacks.
double accuracy_scheduled(Net &net, const std::vector<Batch> &batches);
double accuracy_through_pointer(Net &net, const std::vector<Batch> &batches);
using Job = double (*)(Net &, const std::vector<Batch> &);
void schedule(Job job);
