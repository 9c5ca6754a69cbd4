// The feed both Bitbucket editions use for a listing given newest first (Cloud's activity stream,
// pipelines and deployments; Data Center's pull requests): a walk down to where the last walk
// stopped (sources/contract/newest_first.h), page by page in the edition's paging style, resuming
// at the page after the last one stored, and starting again at the newest page when the host no
// longer knows the saved link. Subclasses parse a page's values into rows. One object per walk;
// called from one thread.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>

#include "http/pager.h"
#include "sources/contract/connector.h"
#include "sources/contract/newest_first.h"

namespace leadline::sources::bitbucket {

// `request` asking for `url` instead.
http::HttpRequest WithUrl(http::HttpRequest request, std::string url);

class NewestFirstFeed : public Feed {
 public:
  // `newest` asks for the listing's newest page. The first walk goes back to the sync's `since`
  // when `from_since`; `check_order` as NewestFirstWalk's.
  NewestFirstFeed(std::string name, std::string title, FeedKind kind, http::PageStyle style,
                  http::HttpRequest newest, bool from_since, bool check_order);

  std::string_view name() const override { return name_; }
  std::string_view title() const override { return title_; }
  FeedKind kind() const override { return kind_; }
  common::Result<std::optional<http::HttpRequest>> First(const RepositoryView&,
                                                         const std::string& cursor,
                                                         common::UnixSeconds since) override;
  // A saved resume URL the host no longer knows (an expired `ctx`: a 404, or a 400) restarts the
  // walk from the newest page, keeping what it had reached.
  std::optional<http::HttpRequest> Restart(const common::Status& failed) override;
  common::Result<FeedPage> Read(const http::HttpResponse& response,
                                const http::HttpRequest& request,
                                const std::string& cursor) override;

 protected:
  // Parses a page's values into `out.rows` (and names its details); says what the walk needs of
  // them. Errors name the row and `url`.
  virtual common::Result<PageRows> ReadRows(const nlohmann::json& values, const std::string& url,
                                            FeedPage& out) = 0;

  const http::HttpRequest& newest() const { return newest_; }
  http::PageStyle style() const { return style_; }

 private:
  std::string name_;
  std::string title_;
  FeedKind kind_;
  http::PageStyle style_;
  http::HttpRequest newest_;
  bool from_since_;
  bool check_order_;
  std::optional<NewestFirstWalk> walk_;
  std::set<std::string> fetched_;  // URLs this walk read: a `next` among them ends it
};

}  // namespace leadline::sources::bitbucket
