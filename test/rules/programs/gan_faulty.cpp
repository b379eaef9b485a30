// REQUIRES: real-libtorch
// RUN: %check_torch_tidy %s torch-* %t -- %torch_include
//
// A GAN step that keeps the generator losses as tensors for a plot and
// never resets the generator's gradients. (retain_graph on the
// discriminator's loss is not reported: a second backward follows in the
// iteration, and the graph dies with the iteration anyway.)

#include <torch/torch.h>

#include <vector>

void trainGan(torch::nn::Sequential &generator,
              torch::nn::Sequential &discriminator, int steps) {
  torch::optim::Adam g_opt(generator->parameters(),
                           torch::optim::AdamOptions(2e-4));
  torch::optim::Adam d_opt(discriminator->parameters(),
                           torch::optim::AdamOptions(2e-4));
  std::vector<torch::Tensor> g_losses;
  for (int step = 0; step < steps; ++step) {
    torch::Tensor real = torch::randn({64, 784});
    torch::Tensor noise = torch::randn({64, 100});
    torch::Tensor fake = generator->forward(noise);

    d_opt.zero_grad();
    torch::Tensor d_loss =
        torch::binary_cross_entropy_with_logits(
            discriminator->forward(real), torch::ones({64, 1})) +
        torch::binary_cross_entropy_with_logits(
            discriminator->forward(fake.detach()), torch::zeros({64, 1}));
    d_loss.backward({}, /*retain_graph=*/true);
    d_opt.step();

    torch::Tensor g_loss = torch::binary_cross_entropy_with_logits(
        discriminator->forward(fake), torch::ones({64, 1}));
    g_loss.backward();
    g_opt.step();
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: {{.*}} [torch-missing-zero-grad]
    g_losses.push_back(g_loss);
    // CHECK-MESSAGES: :[[@LINE-1]]:5: warning: 'g_losses' outlives the loop iteration{{.*}} [torch-graph-kept-across-iterations]
  }
}
