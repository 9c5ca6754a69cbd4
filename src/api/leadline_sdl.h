// Leadline's GraphQL schema as SDL: src/api/leadline.graphql, compiled in at build time (the
// build writes leadline_sdl.cpp from it), so that the binary serves the schema it answers.
#pragma once

#include <string_view>

namespace leadline::api {

std::string_view LeadlineSdl();

}  // namespace leadline::api
