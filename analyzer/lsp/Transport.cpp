//===--- Transport.cpp - JSON-RPC messages with LSP framing ---------------===//

#include "Transport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cerrno>
#include <unistd.h>

namespace torch_tidy::lsp {

namespace {

/// Header lines longer than this are not LSP headers.
constexpr size_t MaxHeaderLine = 8192;
constexpr size_t ChunkBytes = 64 * 1024;

MessageReader::Result bad(std::string Problem, bool BadJson = false) {
  MessageReader::Result R;
  R.Kind = MessageReader::Status::BadMessage;
  R.Problem = std::move(Problem);
  R.BadJson = BadJson;
  return R;
}

} // namespace

bool MessageReader::fill() {
  // Drop what was consumed once it is most of the buffer.
  if (Start > 0 && Start * 2 >= Pending.size()) {
    Pending.erase(0, Start);
    Start = 0;
  }
  char Chunk[ChunkBytes];
  size_t Got = Read(Chunk, sizeof(Chunk));
  if (Got == 0)
    return false;
  Pending.append(Chunk, Got);
  return true;
}

bool MessageReader::readLine(std::string &Line, bool &TooLong) {
  TooLong = false;
  Line.clear();
  while (true) {
    size_t End = Pending.find('\n', Start);
    if (End != std::string::npos) {
      if (!TooLong)
        Line.assign(Pending, Start, End - Start);
      Start = End + 1;
      if (!Line.empty() && Line.back() == '\r')
        Line.pop_back();
      return true;
    }
    if (Pending.size() - Start > MaxHeaderLine) {
      // Keep reading to the line's end, but not its text.
      TooLong = true;
      Start = Pending.size();
    }
    if (!fill())
      return false;
  }
}

bool MessageReader::readBody(size_t Length, std::string &Body) {
  Body.clear();
  while (Body.size() < Length) {
    if (Start == Pending.size() && !fill())
      return false;
    size_t Take = std::min(Length - Body.size(), Pending.size() - Start);
    Body.append(Pending, Start, Take);
    Start += Take;
  }
  return true;
}

MessageReader::Result MessageReader::next() {
  std::string Line;
  bool TooLong = false;
  bool SawHeader = false;
  bool HasLength = false;
  size_t Length = 0;
  std::string Problem;
  while (true) {
    if (!readLine(Line, TooLong)) {
      if (SawHeader)
        return bad("the input ended inside a message's headers");
      return Result{};
    }
    if (Line.empty() && !TooLong) {
      if (SawHeader)
        break;
      continue; // Blank lines between messages.
    }
    SawHeader = true;
    if (TooLong) {
      Problem = "a header line is longer than " +
                std::to_string(MaxHeaderLine) + " bytes";
      continue;
    }
    auto [Name, Value] = llvm::StringRef(Line).split(':');
    if (!Name.trim().equals_insensitive("content-length"))
      continue; // Content-Type and unknown headers.
    unsigned long long Parsed = 0;
    if (Value.trim().getAsInteger(10, Parsed)) {
      Problem = "Content-Length is not a number: '" + Value.trim().str() + "'";
      continue;
    }
    HasLength = true;
    Length = static_cast<size_t>(Parsed);
  }
  if (!Problem.empty())
    return bad(Problem);
  if (!HasLength)
    return bad("a message has no Content-Length header");
  if (Length > MaxMessageBytes) {
    // Skip the body without keeping it.
    std::string Part;
    for (size_t Left = Length; Left > 0;) {
      size_t Take = std::min(Left, ChunkBytes);
      if (!readBody(Take, Part))
        break;
      Left -= Take;
    }
    return bad("a message of " + std::to_string(Length) +
               " bytes is longer than the limit of " +
               std::to_string(MaxMessageBytes));
  }
  std::string Body;
  if (!readBody(Length, Body))
    return bad("the input ended inside a message's body");
  Result R;
  R.Body = nlohmann::json::parse(Body, nullptr, /*allow_exceptions=*/false);
  if (R.Body.is_discarded())
    return bad("a message's body is not valid JSON", /*BadJson=*/true);
  R.Kind = Status::Message;
  return R;
}

MessageReader::ReadBytes readFromStream(std::FILE *Stream) {
  int FD = fileno(Stream);
  return [FD](char *Buffer, size_t Size) -> size_t {
    while (true) {
      ssize_t Got = ::read(FD, Buffer, Size);
      if (Got >= 0)
        return static_cast<size_t>(Got);
      if (errno != EINTR)
        return 0;
    }
  };
}

void MessageWriter::send(const nlohmann::json &Message) {
  // Invalid UTF-8 from a source file is replaced, not thrown on.
  std::string Body =
      Message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> Lock(Mutex);
  std::fprintf(Stream, "Content-Length: %zu\r\n\r\n", Body.size());
  std::fwrite(Body.data(), 1, Body.size(), Stream);
  std::fflush(Stream);
}

Incoming classifyMessage(const nlohmann::json &Message) {
  Incoming In;
  if (!Message.is_object()) {
    In.Problem = "a message must be a JSON object";
    return In;
  }
  auto Id = Message.find("id");
  bool HasId = Id != Message.end();
  if (HasId && !Id->is_string() && !Id->is_number_integer() && !Id->is_null()) {
    In.Problem = "'id' must be a string or an integer";
    return In;
  }
  if (HasId)
    In.Id = *Id;
  auto Version = Message.find("jsonrpc");
  if (Version != Message.end() && *Version != "2.0") {
    In.Problem = "'jsonrpc' must be \"2.0\"";
    return In;
  }
  auto Method = Message.find("method");
  if (Method == Message.end()) {
    if (HasId && (Message.contains("result") || Message.contains("error"))) {
      In.Type = Incoming::Response;
      return In;
    }
    In.Problem = "a message needs a 'method', or an 'id' and a 'result'";
    return In;
  }
  if (!Method->is_string()) {
    In.Problem = "'method' must be a string";
    return In;
  }
  In.Method = Method->get<std::string>();
  auto Params = Message.find("params");
  // A null 'params' is taken as none: some clients send it with exit.
  if (Params != Message.end() && !Params->is_null()) {
    if (!Params->is_object() && !Params->is_array()) {
      In.Problem = "'params' must be an object or an array";
      return In;
    }
    In.Params = *Params;
  }
  In.Type = HasId ? Incoming::Request : Incoming::Notification;
  return In;
}

nlohmann::json makeResponse(const nlohmann::json &Id, nlohmann::json Result) {
  return {{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}};
}

nlohmann::json makeError(const nlohmann::json &Id, int Code,
                         const std::string &Message) {
  return {{"jsonrpc", "2.0"},
          {"id", Id},
          {"error", {{"code", Code}, {"message", Message}}}};
}

nlohmann::json makeNotification(const std::string &Method,
                                nlohmann::json Params) {
  return {
      {"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}};
}

} // namespace torch_tidy::lsp
