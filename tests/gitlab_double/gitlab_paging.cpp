// GitLab's two page styles, and the sorting and time filters of its list endpoints. Offset pages
// carry x-page, x-per-page, x-next-page (empty on the last page), x-prev-page, x-total and
// x-total-pages (both left out, with rel="last", past the total count limit) and a Link header;
// keyset pages carry only Link rel="next".
#include <algorithm>

#include "common/time.h"
#include "gitlab_state.h"

namespace leadline::testing {
namespace {

// A positive integer parameter; `fallback` when absent, nullopt when not one.
std::optional<int> PositiveParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::max(1, std::stoi(text));
}

// The request's own URL with `replace` set and `drop` left out.
std::string LinkTo(const GitLabState& state, const httplib::Request& req,
                   const std::map<std::string, std::string>& replace,
                   const std::set<std::string>& drop = {}) {
  const std::size_t query = req.target.find('?');
  std::string url =
      "http://127.0.0.1:" + std::to_string(state.port.load()) + req.target.substr(0, query);
  std::string params;
  auto add = [&params](const std::string& name, const std::string& value) {
    params +=
        (params.empty() ? "?" : "&") + name + "=" + httplib::detail::encode_query_param(value);
  };
  for (const auto& [name, value] : req.params) {
    if (!replace.contains(name) && !drop.contains(name)) add(name, value);
  }
  for (const auto& [name, value] : replace) add(name, value);
  return url + params;
}

std::string Link(const std::string& url, const char* rel) {
  return "<" + url + ">; rel=\"" + rel + "\"";
}

void SendRows(httplib::Response& res, const std::vector<Row>& rows, std::size_t from,
              std::size_t to,
              const std::function<nlohmann::json(const Row&)>& object_of = nullptr) {
  nlohmann::json page = nlohmann::json::array();
  for (std::size_t i = from; i < to && i < rows.size(); ++i) {
    page.push_back(object_of ? object_of(rows[i]) : rows[i].object);
  }
  SendGitLabJson(res, 200, page);
}

std::optional<int> PerPage(const httplib::Request& req, httplib::Response& res) {
  const std::optional<int> per_page = PositiveParam(req, "per_page", 20);
  if (!per_page) {
    SendError(res, 400, "per_page is invalid");
    return std::nullopt;
  }
  return std::min(*per_page, 100);
}

}  // namespace

void SendOffsetPage(const GitLabState& state, const httplib::Request& req, httplib::Response& res,
                    const std::vector<Row>& rows,
                    const std::function<nlohmann::json(const Row&)>& object_of) {
  const std::optional<int> page = PositiveParam(req, "page", 1);
  if (!page) {
    SendError(res, 400, "page is invalid");
    return;
  }
  const std::optional<int> per_page = PerPage(req, res);
  if (!per_page) return;
  const int total = static_cast<int>(rows.size());
  const int pages = std::max(1, (total + *per_page - 1) / *per_page);
  const bool counted = total <= state.config().total_count_limit;
  const bool last = *page >= pages;
  res.set_header("x-page", std::to_string(*page));
  res.set_header("x-per-page", std::to_string(*per_page));
  res.set_header("x-next-page", last ? "" : std::to_string(*page + 1));
  res.set_header("x-prev-page", *page > 1 ? std::to_string(std::min(*page - 1, pages)) : "");
  std::vector<std::string> links;
  auto page_link = [&](int n, const char* rel) {
    links.push_back(Link(
        LinkTo(state, req, {{"page", std::to_string(n)}, {"per_page", std::to_string(*per_page)}}),
        rel));
  };
  if (*page > 1) page_link(std::min(*page - 1, pages), "prev");
  if (!last) page_link(*page + 1, "next");
  page_link(1, "first");
  if (counted) {
    res.set_header("x-total", std::to_string(total));
    res.set_header("x-total-pages", std::to_string(pages));
    page_link(pages, "last");
  }
  std::string link;
  for (const std::string& one : links) link += (link.empty() ? "" : ", ") + one;
  res.set_header("Link", link);
  const auto from = static_cast<std::size_t>(*page - 1) * static_cast<std::size_t>(*per_page);
  SendRows(res, rows, from, from + static_cast<std::size_t>(*per_page), object_of);
}

void SendKeysetPage(const GitLabState& state, const httplib::Request& req, httplib::Response& res,
                    const std::vector<Row>& rows) {
  if (req.get_param_value("order_by") != "id") {
    SendError(res, 405, "Keyset pagination is not yet available for this type of request");
    return;
  }
  const std::optional<int> per_page = PerPage(req, res);
  if (!per_page) return;
  const bool descending = req.get_param_value("sort") == "desc";
  const char* cursor = descending ? "id_before" : "id_after";
  std::size_t from = 0;
  if (req.has_param(cursor)) {
    const std::int64_t after = std::atoll(req.get_param_value(cursor).c_str());
    while (from < rows.size() && (descending ? rows[from].id >= after : rows[from].id <= after)) {
      ++from;
    }
  }
  const std::size_t to = from + static_cast<std::size_t>(*per_page);
  if (to < rows.size()) {
    res.set_header(
        "Link",
        Link(LinkTo(state, req, {{cursor, std::to_string(rows[to - 1].id)}}, {"page"}), "next"));
  }
  SendRows(res, rows, from, to);
}

bool SortRows(std::vector<Row>& rows, const httplib::Request& req, const std::string& order_by,
              bool descending_by_default) {
  const std::string sort = req.get_param_value("sort");
  if (!sort.empty() && sort != "asc" && sort != "desc") return false;
  const bool descending = sort.empty() ? descending_by_default : sort == "desc";
  std::int64_t Row::*key = nullptr;
  if (order_by == "id") {
    key = &Row::id;
  } else if (order_by == "created_at") {
    key = &Row::created_at;
  } else if (order_by == "updated_at") {
    key = &Row::updated_at;
  } else {
    return false;
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    const auto left = std::make_pair(a.*key, a.id);
    const auto right = std::make_pair(b.*key, b.id);
    return descending ? left > right : left < right;
  });
  return true;
}

bool FilterByTime(std::vector<Row>& rows, const httplib::Request& req, httplib::Response& res,
                  const std::string& field) {
  std::int64_t Row::*key = field == "created" ? &Row::created_at : &Row::updated_at;
  for (const char* side : {"_after", "_before"}) {
    const std::string name = field + side;
    if (!req.has_param(name)) continue;
    const auto at = common::ParseRfc3339(req.get_param_value(name));
    if (!at.ok()) {
      SendError(res, 400, name + " is invalid");
      return false;
    }
    const bool after = std::string(side) == "_after";
    std::erase_if(rows, [&](const Row& row) {
      return after ? row.*key < at.value() : row.*key > at.value();
    });
  }
  return true;
}

}  // namespace leadline::testing
