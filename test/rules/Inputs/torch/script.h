// Stub of <torch/script.h>: TorchScript modules are declared with the rest
// in torch.h.
#pragma once
#include <torch/torch.h>
