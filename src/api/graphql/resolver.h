// The interface through which the executor asks the caller for data. The executor runs one level
// of the query at a time and asks for each field once for ALL the parent objects at that place in
// the query (every repository of a list, say), so a resolver reads the store once per field per
// level, never once per parent (no N+1). Parents are opaque handles the resolver itself returned
// one level up (the root's single parent is whatever the caller passed to Execute).
//
// A resolver is called from the thread running Execute(), one call at a time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/schema.h"
#include "api/graphql/value.h"

namespace leadline::graphql {

// An object of the resolver's own making (a row, a struct); shared so a batch may own many.
using ObjectHandle = std::shared_ptr<const void>;

// What a resolver gives for one parent: null, a leaf (scalar or enum) value, an object (with its
// concrete type's name when the field's type is an interface or union), a list, or an error.
struct Resolved {
  enum class Kind { kNull, kLeaf, kObject, kList, kError };
  Kind kind = Kind::kNull;
  Value leaf;
  ObjectHandle object;
  std::string type_name;
  std::vector<Resolved> items;
  std::string message;  // kError
  std::string code;     // kError: extensions.code, may be empty

  static Resolved Null() { return {}; }
  static Resolved Leaf(Value value) {
    Resolved r;
    r.kind = Kind::kLeaf;
    r.leaf = std::move(value);
    return r;
  }
  static Resolved Object(ObjectHandle object, std::string type_name = {}) {
    Resolved r;
    r.kind = Kind::kObject;
    r.object = std::move(object);
    r.type_name = std::move(type_name);
    return r;
  }
  static Resolved List(std::vector<Resolved> items) {
    Resolved r;
    r.kind = Kind::kList;
    r.items = std::move(items);
    return r;
  }
  static Resolved Error(std::string message, std::string code = {}) {
    Resolved r;
    r.kind = Kind::kError;
    r.message = std::move(message);
    r.code = std::move(code);
    return r;
  }
};

// One field asked for every parent at one place in the query.
struct FieldCall {
  const Schema& schema;
  const Type* parent_type;  // an object type
  const Field& field;
  const Value& arguments;  // coerced, an object; absent optional arguments are absent
  std::span<const ObjectHandle> parents;
  // The field's nodes in the document (several when merged), for looking ahead at what is
  // selected below it.
  std::span<const SelectionNode* const> nodes;
};

class Resolver {
 public:
  virtual ~Resolver() = default;
  // Returns exactly one Resolved per parent, in the order of call.parents.
  virtual std::vector<Resolved> Resolve(const FieldCall& call) = 0;
};

// A handle to something the caller does not own (schema parts, static data).
template <typename T>
ObjectHandle Unowned(const T* pointer) {
  return ObjectHandle(std::shared_ptr<const void>(), pointer);
}

}  // namespace leadline::graphql
