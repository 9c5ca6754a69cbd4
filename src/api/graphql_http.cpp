#include "api/graphql_http.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "api/graphql/parser.h"

namespace leadline::api {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A media type of a header: "application/json; charset=utf-8" -> its type and parameters.
struct MediaType {
  std::string type;
  std::vector<std::pair<std::string, std::string>> parameters;  // names lowercased
  const std::string* Parameter(std::string_view name) const {
    for (const auto& [key, value] : parameters) {
      if (key == name) return &value;
    }
    return nullptr;
  }
};

MediaType ParseMediaType(std::string_view text) {
  MediaType media;
  std::size_t semicolon = text.find(';');
  media.type = Lower(Trim(text.substr(0, semicolon)));
  while (semicolon != std::string_view::npos) {
    text.remove_prefix(semicolon + 1);
    semicolon = text.find(';');
    const std::string_view parameter = Trim(text.substr(0, semicolon));
    const std::size_t equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    std::string_view value = Trim(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    media.parameters.emplace_back(Lower(Trim(parameter.substr(0, equals))), Lower(value));
  }
  return media;
}

enum class Answer { kGraphqlResponseJson, kJson, kNone };

// The media type to answer with: application/graphql-response+json when Accept lists it,
// application/json when it lists that or a range holding it, or when there is no Accept.
Answer Negotiate(const std::string& accept) {
  if (Trim(accept).empty()) return Answer::kJson;
  bool json = false;
  std::string_view rest = accept;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const MediaType media = ParseMediaType(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (const std::string* q = media.Parameter("q"); q && std::strtod(q->c_str(), nullptr) <= 0) {
      continue;  // q=0: not acceptable
    }
    if (const std::string* charset = media.Parameter("charset"); charset && *charset != "utf-8") {
      continue;  // Leadline answers in UTF-8 only
    }
    if (media.type == kGraphqlResponseJson) return Answer::kGraphqlResponseJson;
    if (media.type == "application/json" || media.type == "application/*" || media.type == "*/*") {
      json = true;
    }
  }
  return json ? Answer::kJson : Answer::kNone;
}

// `extensions.persistedQuery` (Apollo's protocol, version 1): its hash, nullopt when absent;
// an error text when it is malformed.
std::variant<std::optional<std::string>, std::string> PersistedHash(
    const graphql::Value& extensions) {
  const graphql::Value* persisted = extensions.Find("persistedQuery");
  if (persisted == nullptr || persisted->is_null()) return std::optional<std::string>();
  const graphql::Value* version =
      persisted->kind == graphql::Value::Kind::kObject ? persisted->Find("version") : nullptr;
  const graphql::Value* hash =
      persisted->kind == graphql::Value::Kind::kObject ? persisted->Find("sha256Hash") : nullptr;
  if (version == nullptr || version->kind != graphql::Value::Kind::kInt || version->integer != 1) {
    return std::string("`extensions.persistedQuery` must be {\"version\": 1, \"sha256Hash\": ...}");
  }
  const bool hex =
      hash != nullptr && hash->kind == graphql::Value::Kind::kString && hash->string.size() == 64 &&
      std::all_of(hash->string.begin(), hash->string.end(),
                  [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!hex)
    return std::string("`extensions.persistedQuery.sha256Hash` must be 64 lower-case hex digits");
  return std::optional<std::string>(hash->string);
}

// Reads the request parameters from a JSON object's members (a POST body).
std::variant<GraphqlCall, std::string> FromBody(const std::string& body) {
  graphql::Value parsed;
  std::string error;
  if (!graphql::ValueFromJson(body, &parsed, &error)) return "the body: " + error;
  if (parsed.kind != graphql::Value::Kind::kObject) {
    return "the body must be a JSON object with a `query` string";
  }
  GraphqlCall call;
  graphql::Request& request = call.request;
  if (const graphql::Value* extensions = parsed.Find("extensions");
      extensions && !extensions->is_null()) {
    if (extensions->kind != graphql::Value::Kind::kObject)
      return "`extensions` must be a JSON object";
    auto hash = PersistedHash(*extensions);
    if (const std::string* bad = std::get_if<std::string>(&hash)) return *bad;
    call.persisted_hash = std::get<std::optional<std::string>>(hash);
  }
  const graphql::Value* query = parsed.Find("query");
  if ((query == nullptr || query->is_null()) && call.persisted_hash) {
    call.has_query = false;
  } else if (query == nullptr || query->is_null()) {
    return "the body has no `query`: send the document";
  } else if (query->kind != graphql::Value::Kind::kString) {
    return "`query` must be a string";
  } else {
    request.query = query->string;
  }
  if (const graphql::Value* name = parsed.Find("operationName"); name && !name->is_null()) {
    if (name->kind != graphql::Value::Kind::kString) return "`operationName` must be a string";
    request.operation_name = name->string;
  }
  if (const graphql::Value* variables = parsed.Find("variables");
      variables && !variables->is_null()) {
    if (variables->kind != graphql::Value::Kind::kObject) {
      return "`variables` must be a JSON object of the variables' values";
    }
    request.variables = *variables;
  }
  return call;
}

// Reads the request parameters from a GET's query string; `variables` and `extensions` are JSON.
std::variant<GraphqlCall, std::string> FromQueryString(const HttpRequest& http) {
  GraphqlCall call;
  graphql::Request& request = call.request;
  request.operation_name = http.Query("operationName").value_or("");
  for (const char* name : {"variables", "extensions"}) {
    const std::optional<std::string> text = http.Query(name);
    if (!text || text->empty()) continue;
    graphql::Value value;
    std::string error;
    if (!graphql::ValueFromJson(*text, &value, &error))
      return "`" + std::string(name) + "`: " + error;
    if (value.is_null()) continue;
    if (value.kind != graphql::Value::Kind::kObject) {
      return "`" + std::string(name) + "` must be a JSON object";
    }
    if (std::string_view(name) == "variables") {
      request.variables = std::move(value);
    } else {
      auto hash = PersistedHash(value);
      if (const std::string* bad = std::get_if<std::string>(&hash)) return *bad;
      call.persisted_hash = std::get<std::optional<std::string>>(hash);
    }
  }
  const std::optional<std::string> query = http.Query("query");
  if (query) {
    request.query = *query;
  } else if (call.persisted_hash) {
    call.has_query = false;
  } else {
    return "the query string has no `query` parameter: send the document";
  }
  return call;
}

// Whether the operation a GET would run is a mutation (which GET may not run). A document that
// does not parse, or names no operation it holds, is left to the executor to refuse.
bool IsMutation(const graphql::Request& request) {
  const graphql::ParseResult parsed = graphql::ParseDocument(request.query);
  if (!parsed.ok()) return false;
  graphql::Error error;
  const graphql::DefinitionNode* operation =
      graphql::SelectOperation(parsed.document, request.operation_name, &error);
  return operation != nullptr && operation->operation == graphql::OperationType::kMutation;
}

}  // namespace

HttpResponse GraphqlRequestError(int status, const std::string& message, bool graphql_response_json,
                                 const std::string& code) {
  HttpResponse response;
  response.status = status;
  response.content_type = graphql_response_json ? kGraphqlResponseJson : "application/json";
  response.body = "{\"errors\":[{\"message\":";
  graphql::AppendJsonString(message, response.body);
  if (!code.empty()) {
    response.body += ",\"extensions\":{\"code\":";
    graphql::AppendJsonString(code, response.body);
    response.body += "}";
  }
  response.body += "}]}\n";
  return response;
}

std::variant<GraphqlCall, HttpResponse> ReadGraphqlCall(const HttpRequest& http) {
  GraphqlCall call;
  const Answer answer = Negotiate(http.Header("accept"));
  if (answer == Answer::kNone) {
    return GraphqlRequestError(406,
                               "Accept: Leadline answers GraphQL as "
                               "application/graphql-response+json or application/json",
                               false);
  }
  call.graphql_response_json = answer == Answer::kGraphqlResponseJson;
  std::variant<GraphqlCall, std::string> read;
  if (http.method == "POST") {
    const MediaType content_type = ParseMediaType(http.Header("content-type"));
    const std::string* charset = content_type.Parameter("charset");
    if (content_type.type != "application/json" || (charset && *charset != "utf-8")) {
      HttpResponse refused = GraphqlRequestError(
          415,
          "Content-Type: send the request as application/json (UTF-8), a JSON object with "
          "`query`, and optionally `variables` and `operationName`",
          call.graphql_response_json);
      refused.headers.emplace_back("Accept-Post", "application/json");
      return refused;
    }
    read = FromBody(http.body);
  } else {
    read = FromQueryString(http);
  }
  if (const std::string* error = std::get_if<std::string>(&read)) {
    return GraphqlRequestError(400, *error, call.graphql_response_json);
  }
  const bool graphql_response_json = call.graphql_response_json;
  call = std::move(std::get<GraphqlCall>(read));
  call.graphql_response_json = graphql_response_json;
  if (http.method == "GET" && call.has_query && IsMutation(call.request)) {
    HttpResponse refused = GraphqlRequestError(405, "a mutation is sent with POST, never GET",
                                               call.graphql_response_json);
    refused.headers.emplace_back("Allow", "POST");
    return refused;
  }
  return call;
}

HttpResponse GraphqlAnswer(const graphql::Response& response, bool graphql_response_json) {
  HttpResponse http;
  http.content_type = graphql_response_json ? kGraphqlResponseJson : "application/json";
  http.status = graphql_response_json && !response.has_data ? 400 : 200;
  http.body = graphql::ResponseToJson(response);
  http.body += '\n';
  return http;
}

}  // namespace leadline::api
