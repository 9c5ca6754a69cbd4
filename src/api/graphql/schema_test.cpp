#include "api/graphql/schema.h"

#include <gtest/gtest.h>

namespace leadline::graphql {
namespace {

TEST(SchemaTest, BuildsTypesWithBuiltinsAndOrder) {
  auto schema = Schema::FromSdl(R"(
    type Query { node(id: ID!): Node, search(term: String = "x"): [Result!]! }
    interface Node { id: ID! }
    type Book implements Node { id: ID!, title: String @deprecated(reason: "old"), pages: Int }
    type Author implements Node { id: ID!, name: String @deprecated }
    union Result = Book | Author
  )");
  ASSERT_TRUE(schema.ok()) << schema.status().message();
  const Schema& s = **schema;
  EXPECT_EQ(s.query_type()->name, "Query");
  std::vector<std::string> names;
  for (const Type* type : s.types()) names.push_back(type->name);
  const std::vector<std::string> expected = {"Query",
                                             "ID",
                                             "String",
                                             "Node",
                                             "Book",
                                             "Int",
                                             "Author",
                                             "Result",
                                             "Boolean",
                                             "__Schema",
                                             "__Type",
                                             "__TypeKind",
                                             "__Field",
                                             "__InputValue",
                                             "__EnumValue",
                                             "__Directive",
                                             "__DirectiveLocation"};
  EXPECT_EQ(names, expected);
  const Type* node = s.FindType("Node");
  ASSERT_EQ(node->possible_types.size(), 2u);
  EXPECT_EQ(node->possible_types[0]->name, "Book");
  EXPECT_EQ(*s.FindType("Book")->FindField("title")->deprecation_reason, "old");
  EXPECT_EQ(*s.FindType("Author")->FindField("name")->deprecation_reason, "No longer supported");
  EXPECT_EQ(PrintType(s.FindType("Query")->FindField("search")->type), "[Result!]!");
  EXPECT_TRUE(s.IsSubType(s.FindType("Book"), s.FindType("Node")));
  EXPECT_TRUE(s.TypesOverlap(s.FindType("Result"), s.FindType("Node")));
  EXPECT_NE(s.FieldOf(s.query_type(), "__schema"), nullptr);
  EXPECT_EQ(s.FieldOf(s.FindType("Book"), "__schema"), nullptr);
  EXPECT_NE(s.FieldOf(s.FindType("Result"), "__typename"), nullptr);
  EXPECT_EQ(s.FieldOf(s.FindType("Result"), "id"), nullptr);
  ASSERT_NE(s.FindDirective("include"), nullptr);
}

TEST(SchemaTest, BadSdlSaysWhereAndWhat) {
  auto schema = Schema::FromSdl("type Query {\n  a: Missing\n}");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(), "schema SDL line 2, column 6: Unknown type \"Missing\".");
  schema = Schema::FromSdl("type Foo { a: Int }");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(), "schema SDL: Query root type must be provided.");
  schema = Schema::FromSdl(
      "type Query { a: Node } interface Node { id: ID! } "
      "type Book implements Node { title: String }");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(),
            "schema SDL: Interface field Node.id expected but Book does not provide it.");
  schema = Schema::FromSdl(
      "type Query { a: Node } interface Node { id: ID! } "
      "type Book implements Node { id: String }");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(),
            "schema SDL: Interface field Node.id expects type ID! but Book.id is type String.");
  schema = Schema::FromSdl(
      "type Query { a: Node } interface Node { f(x: Int): Int } "
      "type Book implements Node { f: Int }");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(),
            "schema SDL: Interface field argument Node.f(x:) expects type Int but Book.f does not "
            "provide it.");
  schema = Schema::FromSdl("type Query { a: Int");
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().message(),
            "schema SDL line 1, column 20: Syntax Error: Expected Name, found <EOF>.");
}

}  // namespace
}  // namespace leadline::graphql
