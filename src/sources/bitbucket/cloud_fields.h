// The partial responses (`fields=`) Leadline asks Bitbucket Cloud's listings for: each default
// representation without what the parsers in cloud_parse.h never read (rendered text, links,
// embedded repositories and users' profiles), so pages are smaller and faster to parse. Pull
// requests also ask for `closed_on`, which Cloud leaves out unless asked (BCLOUD-22709) and which
// is the exact time a pull request was merged or declined. captured_test.cpp checks that every
// captured payload still parses with these removed.
#pragma once

namespace leadline::sources::bitbucket {

inline constexpr const char* kCloudPullRequestFields =
    "+values.closed_on,-values.summary,-values.rendered,-values.description,-values.links,"
    "-values.source.repository,-values.destination.repository,-values.participants";
inline constexpr const char* kCloudActivityFields =
    // A comment's raw text stays: Leadline's own feedback comments are told by it.
    "-values.comment.content.html,-values.comment.content.markup,-values.comment.links,"
    "-values.comment.inline,"
    "-values.pull_request.links,-values.update.description,-values.update.source,"
    "-values.update.destination";
inline constexpr const char* kCloudPipelineFields =
    "-values.links,-values.repository,-values.creator,-values.configuration_sources,"
    "-values.variables";
inline constexpr const char* kCloudDeploymentFields =
    "-values.links,-values.step,-values.state.deployer,-values.release.links,"
    "-values.release.commit.links";
inline constexpr const char* kCloudEnvironmentFields =
    "-values.links,-values.restrictions,-values.lock,-values.category";

}  // namespace leadline::sources::bitbucket
