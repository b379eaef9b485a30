//===--- LlvmSymbolizer.cpp - confirm's symbolizer in torch-tidy ----------===//

#include "LlvmSymbolizer.h"

#include "llvm/DebugInfo/DIContext.h"
#include "llvm/DebugInfo/Symbolize/Symbolize.h"
#include "llvm/Support/Error.h"

namespace torch_tidy {

namespace {

class LlvmSymbolizer : public Symbolizer {
public:
  LlvmSymbolizer() : Impl(options()) {}

  std::vector<SymbolizedFrame> symbolize(const std::string &ModulePath,
                                         uint64_t Address) override {
    std::vector<SymbolizedFrame> Frames;
    auto Inlined = Impl.symbolizeInlinedCode(
        ModulePath, {Address, llvm::object::SectionedAddress::UndefSection});
    if (!Inlined) {
      llvm::consumeError(Inlined.takeError());
      return Frames;
    }
    for (uint32_t I = 0; I < Inlined->getNumberOfFrames(); ++I) {
      const llvm::DILineInfo &Info = Inlined->getFrame(I);
      SymbolizedFrame Frame;
      if (Info.FunctionName != llvm::DILineInfo::BadString)
        Frame.Function = Info.FunctionName;
      if (Info.FileName != llvm::DILineInfo::BadString && Info.Line > 0) {
        Frame.File = Info.FileName;
        Frame.Line = static_cast<int>(Info.Line);
      }
      if (!Frame.Function.empty() || !Frame.File.empty())
        Frames.push_back(std::move(Frame));
    }
    return Frames;
  }

  std::string name() const override { return "LLVM Symbolize"; }

private:
  static llvm::symbolize::LLVMSymbolizer::Options options() {
    llvm::symbolize::LLVMSymbolizer::Options Opts;
    Opts.Demangle = true;
    Opts.UseSymbolTable = true; // Function names without debug info.
    return Opts;
  }

  llvm::symbolize::LLVMSymbolizer Impl;
};

} // namespace

std::unique_ptr<Symbolizer> makeLlvmSymbolizer() {
  return std::make_unique<LlvmSymbolizer>();
}

} // namespace torch_tidy
