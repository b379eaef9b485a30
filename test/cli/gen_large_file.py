#!/usr/bin/env python3
"""Writes a libtorch training file of exactly N lines for large-file.test.

Blocks of a clean training step, a clean evaluation under NoGradGuard and
one leaky loop that keeps every iteration's graph, so that the file has
exactly one torch- finding per block. Prints the number of blocks.
"""

import sys

HEADER = """\
#include <torch/torch.h>

#include <vector>

torch::Tensor make_batch(int i);
torch::Tensor make_target(int i);
"""

BLOCK = """\
void train_{n}(torch::nn::Linear model, torch::optim::SGD &opt) {{
  for (int i = 0; i < 100; ++i) {{
    opt.zero_grad();
    torch::Tensor loss = torch::mse_loss(model(make_batch(i)), make_target(i));
    loss.backward();
    opt.step();
  }}
}}

double evaluate_{n}(torch::nn::Linear model) {{
  torch::NoGradGuard no_grad;
  double total = 0;
  for (int i = 0; i < 10; ++i)
    total += model(make_batch(i)).sum().item<double>();
  return total;
}}

void collect_{n}(torch::nn::Linear model) {{
  std::vector<torch::Tensor> outputs;
  for (int i = 0; i < 10; ++i) {{
    torch::Tensor out = model(make_batch(i));
    outputs.push_back(out);
  }}
}}

"""


def main():
    path, lines = sys.argv[1], int(sys.argv[2])
    header_lines = HEADER.count("\n")
    block_lines = BLOCK.count("\n")
    blocks = (lines - header_lines) // block_lines
    with open(path, "w") as out:
        out.write(HEADER)
        for n in range(blocks):
            out.write(BLOCK.format(n=n))
        padding = lines - header_lines - blocks * block_lines
        out.write("// padding\n" * padding)
    print(blocks)


if __name__ == "__main__":
    main()
