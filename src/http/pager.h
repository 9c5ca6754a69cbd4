// Reading a paginated collection from Bitbucket, page by page, the way each edition pages:
//  - Cloud 2.0: {"values": [...], "next": "<url>"}; follow `next` as given (it may be a cursor,
//    `?ctx=...`); the end is a page without `next`. A page with no values ends the walk too
//    (Cloud sometimes sends a stale `next` on the last page).
//  - Data Center 1.0: {"values": [...], "isLastPage": false, "nextPageStart": 25}; the next page
//    is the same URL with `start=<nextPageStart>`.
// A non-2xx answer or a malformed page is an error naming the URL (redacted) and what is wrong;
// pages already handed to the callback stay handed. Thread-compatible.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "http/http_client.h"

namespace leadline::http {

enum class PageStyle { kBitbucketCloud, kBitbucketDataCenter };

// Called with each page's `values` array and the URL that returned it.
using PageCallback =
    std::function<common::Status(const nlohmann::json& values, const std::string& url)>;

common::Status ForEachPage(HttpClient& client, PageStyle style, HttpRequest first,
                           const PageCallback& on_page);

// One page as ForEachPageUntil hands it over.
struct Page {
  const nlohmann::json& values;
  const std::string& url;       // the URL that returned it
  const std::string& next_url;  // the following page's URL; empty on the last page
};

enum class Paging { kContinue, kStop };

// Like ForEachPage, for walks that end early (a newest-first walk that reached what an earlier
// sync stored) or that checkpoint where they are (`next_url` is where a resumed walk starts).
common::Status ForEachPageUntil(HttpClient& client, PageStyle style, HttpRequest first,
                                const std::function<common::Result<Paging>(const Page&)>& on_page);

// Reads one answer of a listing as ForEachPageUntil does (a non-2xx answer or a malformed page is
// the error) and hands `on_page` its values and the following page's URL (empty on the last).
// `url` asked for it; `first_url` is the walk's first (Data Center's next page is that URL with
// `start`). For walks whose requests someone else sends (ingest's feed runner).
common::Status ReadListPage(
    PageStyle style, const HttpResponse& response, const std::string& url,
    const std::string& first_url,
    const std::function<common::Status(const nlohmann::json& values, const std::string& next_url)>&
        on_page);

// The error for a non-2xx answer: 401, 403 and 404 get their own codes; the message has the
// status, the redacted URL, the server's error message when the body has one, and for Cloud's
// 403 the scopes it says are missing.
common::Status HttpError(const HttpResponse& response, const std::string& url);

// The scopes a Bitbucket Cloud 403 body says are required ("read:pullrequest:bitbucket"), comma-
// separated; empty when it names none.
std::string RequiredScopes(const std::string& body);

// Percent-encodes a query parameter's value (BBQL holds spaces, quotes, '>' and '+').
std::string EncodeQueryValue(const std::string& value);

// `url` with the query parameter `name` set to `value` (replaced when present).
std::string WithQueryParameter(const std::string& url, const std::string& name,
                               const std::string& value);

}  // namespace leadline::http
