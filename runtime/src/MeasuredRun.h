// What `torch-tidy fit` asks of a run (TORCH_TIDY_STOP_AFTER set): a clean
// stop after a few iterations, and whether the program used autocast.
#ifndef TORCH_TIDY_RUNTIME_MEASUREDRUN_H
#define TORCH_TIDY_RUNTIME_MEASUREDRUN_H

#include <cstdint>
#include <string>
#include <vector>

namespace torch_tidy::probe {

/// TORCH_TIDY_STOP_AFTER: the iterations to measure before the probe ends
/// the run; 0 when unset (a value that is not a positive integer is
/// ignored with one warning).
int64_t stopAfterFromEnvironment();

/// Notes which devices' autocast is on when an operator starts. Costs a
/// callback per operator until autocast is seen, so only measured runs
/// install it. Call once.
void watchAutocast();

/// "cpu" and "cuda" when an operator ran with that device's autocast on.
std::vector<std::string> autocastDevicesSeen();

/// Ends the process with status 0 after the report is written: without
/// running static destructors or atexit handlers, which could touch
/// libtorch state that the interrupted iteration still holds.
[[noreturn]] void endMeasuredRun();

} // namespace torch_tidy::probe

#endif // TORCH_TIDY_RUNTIME_MEASUREDRUN_H
