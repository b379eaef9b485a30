"""The generated project of bench/project: four targets shaped like a real
libtorch project, each with its own include directory.

  data/   include/data/dataset.h (include guard)   src/dataset.cpp src/augment.cpp
  model/  include/model/net.h (#pragma once)        src/net.cpp src/rnn.cpp
          include/model/rnn.h (include guard)
  train/  include/train/trainer.h (#pragma once; its first line includes
          "model/net.h", so its prefix is two headers deep)
                                                    src/trainer.cpp src/eval.cpp
  app/    (no header)                               main.cpp export.cpp tools.cpp

Sources include their own header first; the app's include <torch/torch.h>
first. Some have findings, some are clean.
"""

import json
import os

HEADERS = {
    "data/include/data/dataset.h": """\
// Synthetic data for the training targets.
#ifndef PROJECT_DATA_DATASET_H
#define PROJECT_DATA_DATASET_H

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace data {

struct Batch {
  torch::Tensor inputs;
  torch::Tensor labels;
};

Batch makeBatch(int64_t index, int64_t size);
std::vector<Batch> makeEpoch(int64_t batches, int64_t size);
torch::Tensor augment(const torch::Tensor &inputs, double noise);

} // namespace data

#endif // PROJECT_DATA_DATASET_H
""",
    "model/include/model/net.h": """\
#pragma once
#include <torch/torch.h>

namespace model {

struct NetImpl : torch::nn::Module {
  NetImpl(int64_t in, int64_t hidden, int64_t out);
  torch::Tensor forward(torch::Tensor x);

  torch::nn::Linear first{nullptr};
  torch::nn::Linear second{nullptr};
};
TORCH_MODULE(Net);

} // namespace model
""",
    "model/include/model/rnn.h": """\
/* A recurrent model over sequences of features. */
#ifndef PROJECT_MODEL_RNN_H
#define PROJECT_MODEL_RNN_H

#include <torch/torch.h>

namespace model {

struct SequenceModelImpl : torch::nn::Module {
  SequenceModelImpl(int64_t features, int64_t hidden);
  torch::Tensor forward(torch::Tensor sequence);

  torch::nn::GRU gru{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(SequenceModel);

} // namespace model

#endif
""",
    "train/include/train/trainer.h": """\
#pragma once
#include "model/net.h"

#include <vector>

namespace train {

struct History {
  std::vector<double> losses;
};

History fit(model::Net &net, int epochs);
double evaluate(model::Net &net, int batches);

} // namespace train
""",
}

SOURCES = {
    "data/src/dataset.cpp": """\
#include "data/dataset.h"

namespace data {

Batch makeBatch(int64_t index, int64_t size) {
  torch::manual_seed(1000 + index);
  Batch batch;
  batch.inputs = torch::randn({size, 32});
  batch.labels = torch::randint(0, 4, {size}, torch::kLong);
  return batch;
}

std::vector<Batch> makeEpoch(int64_t batches, int64_t size) {
  std::vector<Batch> epoch;
  for (int64_t i = 0; i < batches; ++i)
    epoch.push_back(makeBatch(i, size));
  return epoch;
}

} // namespace data
""",
    "data/src/augment.cpp": """\
#include "data/dataset.h"

namespace data {

torch::Tensor augment(const torch::Tensor &inputs, double noise) {
  torch::NoGradGuard no_grad;
  return inputs + noise * torch::randn_like(inputs);
}

} // namespace data
""",
    "model/src/net.cpp": """\
#include "model/net.h"

namespace model {

NetImpl::NetImpl(int64_t in, int64_t hidden, int64_t out) {
  first = register_module("first", torch::nn::Linear(in, hidden));
  second = register_module("second", torch::nn::Linear(hidden, out));
}

torch::Tensor NetImpl::forward(torch::Tensor x) {
  return second(torch::relu(first(x)));
}

} // namespace model
""",
    "model/src/rnn.cpp": """\
#include "model/rnn.h"

#include <vector>

namespace model {

SequenceModelImpl::SequenceModelImpl(int64_t features, int64_t hidden) {
  gru = register_module("gru", torch::nn::GRU(features, hidden));
  head = register_module("head", torch::nn::Linear(hidden, 1));
}

torch::Tensor SequenceModelImpl::forward(torch::Tensor sequence) {
  auto output = std::get<0>(gru(sequence));
  return head(output.select(0, -1));
}

// Runs the model over a stream, keeping every prediction: each keeps its
// graph alive.
std::vector<torch::Tensor> predictStream(SequenceModel &net, int steps) {
  std::vector<torch::Tensor> predictions;
  torch::optim::Adam optimizer(net->parameters());
  for (int i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    torch::Tensor out = net->forward(torch::randn({8, 4, 16}));
    out.sum().backward();
    optimizer.step();
    predictions.push_back(out);
  }
  return predictions;
}

} // namespace model
""",
    "train/src/trainer.cpp": """\
#include "train/trainer.h"

#include "data/dataset.h"

namespace train {

History fit(model::Net &net, int epochs) {
  History history;
  torch::optim::SGD optimizer(net->parameters(), 0.01);
  torch::Tensor total = torch::zeros({});
  for (int epoch = 0; epoch < epochs; ++epoch) {
    for (const data::Batch &batch : data::makeEpoch(8, 32)) {
      optimizer.zero_grad();
      torch::Tensor loss = torch::nn::functional::cross_entropy(
          net->forward(batch.inputs), batch.labels);
      loss.backward();
      optimizer.step();
      total += loss;
    }
    history.losses.push_back(total.item<double>());
  }
  return history;
}

} // namespace train
""",
    "train/src/eval.cpp": """\
#include "train/trainer.h"

#include "data/dataset.h"

namespace train {

double evaluate(model::Net &net, int batches) {
  torch::NoGradGuard no_grad;
  double correct = 0;
  for (int i = 0; i < batches; ++i) {
    data::Batch batch = data::makeBatch(i, 64);
    torch::Tensor predicted = net->forward(batch.inputs).argmax(1);
    correct += predicted.eq(batch.labels).sum().item<double>();
  }
  return correct / (batches * 64);
}

} // namespace train
""",
    "app/main.cpp": """\
#include <torch/torch.h>

#include "train/trainer.h"

#include <iostream>

int main() {
  model::Net net(32, 64, 4);
  train::History history = train::fit(net, 3);
  std::cout << "accuracy " << train::evaluate(net, 4) << "\\n";
  return history.losses.empty() ? 1 : 0;
}
""",
    "app/export.cpp": """\
#include <torch/torch.h>

#include "model/net.h"

#include <string>
#include <vector>

// Scores inputs for an export check; runs with autograd on.
std::vector<torch::Tensor> scoreAll(model::Net &net, int count) {
  std::vector<torch::Tensor> scores;
  for (int i = 0; i < count; ++i) {
    torch::Tensor out = net->forward(torch::randn({1, 32}));
    scores.push_back(out);
  }
  return scores;
}

void save(model::Net &net, const std::string &path) {
  torch::save(net, path);
}
""",
    "app/tools.cpp": """\
// Small helpers for the command line.
#include <torch/torch.h>

#include <iostream>

void printParameters(torch::nn::Module &module) {
  for (const auto &pair : module.named_parameters())
    std::cout << pair.key() << " " << pair.value().sizes() << "\\n";
}
""",
}

# target: (own include dir or None, include dirs of the targets it uses)
TARGETS = {
    "data": ["include"],
    "model": ["include"],
    "train": ["include", "../model/include", "../data/include"],
    "app": ["../model/include", "../train/include"],
}

FLAGS = ["-std=c++17", "-isystem", "/usr/include/torch/csrc/api/include",
         "-D_GLIBCXX_USE_CXX11_ABI=1"]


def generate(root):
    """Writes the project and its compile_commands.json under root; returns
    the source files."""
    for relative, text in list(HEADERS.items()) + list(SOURCES.items()):
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write(text)
    commands = []
    for relative in sorted(SOURCES):
        target = relative.split("/")[0]
        directory = os.path.join(root, target)
        source = os.path.relpath(os.path.join(root, relative), directory)
        includes = [flag for d in TARGETS[target] for flag in ("-I", d)]
        obj = "CMakeFiles/%s.dir/%s.o" % (target, source)
        commands.append({
            "directory": directory,
            "file": source,
            "arguments": ["/usr/bin/c++"] + FLAGS + includes +
                         ["-o", obj, "-c", source],
        })
    with open(os.path.join(root, "compile_commands.json"), "w") as out:
        json.dump(commands, out, indent=1)
    return [os.path.join(root, relative) for relative in sorted(SOURCES)]
