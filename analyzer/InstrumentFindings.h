//===--- InstrumentFindings.h - torch-tidy --instrument ---------*- C++ -*-===//
//
// Puts the probe's marker into the loops of the findings, in place or into
// copies under --instrument-dir, and moves the findings onto the files as
// instrumented, so that `torch-tidy confirm` matches the instrumented
// build's probe sites to them.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_INSTRUMENTFINDINGS_H
#define TORCH_TIDY_ANALYZER_INSTRUMENTFINDINGS_H

#include "DriverOptions.h"
#include "FindingsFromDiagnostics.h"

namespace torch_tidy {

/// Instruments the loops of \p Result's findings and rewrites the findings'
/// positions (and, with --instrument-dir, their paths) to the instrumented
/// files. Prints "torch-tidy: marker added at FILE:LINE" for each loop, and
/// one line for each file left alone. Returns false, after a one-line error,
/// when a file could not be written.
bool instrumentFindings(AnalysisResult &Result, const DriverSettings &Settings);

} // namespace torch_tidy

#endif // TORCH_TIDY_ANALYZER_INSTRUMENTFINDINGS_H
