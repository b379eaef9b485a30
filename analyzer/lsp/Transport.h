//===--- Transport.h - JSON-RPC messages with LSP framing -------*- C++ -*-===//
//
// The Language Server Protocol frames each JSON-RPC message with headers
// ("Content-Length: N", blank line) and N bytes of JSON. The reader never
// trusts the peer: bad headers, bad lengths and bad JSON each become one
// BadMessage result, and reading goes on with the next header block.
//
//===----------------------------------------------------------------------===//

#ifndef TORCH_TIDY_ANALYZER_LSP_TRANSPORT_H
#define TORCH_TIDY_ANALYZER_LSP_TRANSPORT_H

#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>

namespace torch_tidy::lsp {

/// Bodies longer than this are skipped unread, so that a peer cannot make
/// the server allocate what it claims.
constexpr size_t MaxMessageBytes = size_t(64) << 20;

class MessageReader {
public:
  /// Fills up to Size bytes of Buffer; returns 0 at the end of the input.
  using ReadBytes = std::function<size_t(char *Buffer, size_t Size)>;

  explicit MessageReader(ReadBytes Read) : Read(std::move(Read)) {}

  enum class Status { Message, BadMessage, End };
  struct Result {
    Status Kind = Status::End;
    nlohmann::json Body;
    /// Why a BadMessage was bad; is it the JSON (a parse error) or framing.
    std::string Problem;
    bool BadJson = false;
  };

  /// The next message, or why the next header block or body was unusable,
  /// or the end of the input.
  Result next();

private:
  bool fill();
  /// One header line without its line break; false at the end of input.
  bool readLine(std::string &Line, bool &TooLong);
  bool readBody(size_t Length, std::string &Body);

  ReadBytes Read;
  std::string Pending;
  size_t Start = 0;
};

/// A MessageReader over a C stream (the server's standard input).
MessageReader::ReadBytes readFromStream(std::FILE *Stream);

/// Writes framed messages; safe to call from several threads.
class MessageWriter {
public:
  explicit MessageWriter(std::FILE *Stream) : Stream(Stream) {}
  void send(const nlohmann::json &Message);

private:
  std::FILE *Stream;
  std::mutex Mutex;
};

/// JSON-RPC error codes that the server answers with.
enum ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestCancelled = -32800,
};

/// What an incoming message is, by the fields JSON-RPC gives it.
struct Incoming {
  enum Kind { Request, Notification, Response, Invalid };
  Kind Type = Invalid;
  nlohmann::json Id; // Requests and responses.
  std::string Method;
  nlohmann::json Params;
  std::string Problem; // For Invalid.
};

Incoming classifyMessage(const nlohmann::json &Message);

nlohmann::json makeResponse(const nlohmann::json &Id, nlohmann::json Result);
nlohmann::json makeError(const nlohmann::json &Id, int Code,
                         const std::string &Message);
nlohmann::json makeNotification(const std::string &Method,
                                nlohmann::json Params);

} // namespace torch_tidy::lsp

#endif // TORCH_TIDY_ANALYZER_LSP_TRANSPORT_H
