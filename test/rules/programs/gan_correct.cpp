// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// The usual GAN step: the discriminator sees detached fakes, each optimizer
// resets its own gradients, losses are kept as numbers: no finding.

#include <torch/torch.h>

#include <vector>

void trainGan(torch::nn::Sequential &generator,
              torch::nn::Sequential &discriminator, int steps) {
  torch::optim::Adam g_opt(generator->parameters(),
                           torch::optim::AdamOptions(2e-4));
  torch::optim::Adam d_opt(discriminator->parameters(),
                           torch::optim::AdamOptions(2e-4));
  std::vector<float> g_losses;
  for (int step = 0; step < steps; ++step) {
    torch::Tensor real = torch::randn({64, 784});
    torch::Tensor noise = torch::randn({64, 100});
    torch::Tensor fake = generator->forward(noise);

    discriminator->zero_grad();
    torch::Tensor d_loss =
        torch::binary_cross_entropy_with_logits(
            discriminator->forward(real), torch::ones({64, 1})) +
        torch::binary_cross_entropy_with_logits(
            discriminator->forward(fake.detach()), torch::zeros({64, 1}));
    d_loss.backward();
    d_opt.step();

    generator->zero_grad();
    torch::Tensor g_loss = torch::binary_cross_entropy_with_logits(
        discriminator->forward(fake), torch::ones({64, 1}));
    g_loss.backward();
    g_opt.step();
    g_losses.push_back(g_loss.item<float>());
  }
}
