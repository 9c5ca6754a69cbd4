// The SDL of what every GraphQL schema contains before its own types: the scalars Int, Float,
// String, Boolean and ID, the directives @include, @skip, @deprecated, @specifiedBy and @oneOf,
// and the introspection types (__Schema, __Type, ...). A constant; thread-safe.
#pragma once

#include <string_view>

namespace leadline::graphql {

std::string_view BuiltinSdl();

}  // namespace leadline::graphql
