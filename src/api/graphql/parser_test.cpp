#include "api/graphql/parser.h"

#include <gtest/gtest.h>

#include <chrono>

#include "api/graphql/lexer.h"

namespace leadline::graphql {
namespace {

#if defined(LEADLINE_SANITIZED)
constexpr std::chrono::seconds kBounded{10};  // Debug with sanitizers: correctness, not speed
#else
constexpr std::chrono::seconds kBounded{1};
#endif

TEST(ParserTest, ReadsOperationsFragmentsVariablesAndDirectives) {
  const ParseResult result = ParseDocument(R"(
    query Q($id: ID! = "1", $tags: [String!]) @a {
      alias: node(id: $id, list: [1, 2.5, "s", true, null, RED, {x: 1}]) {
        ...F @include(if: true)
        ... on Book { title }
        ... { id }
      }
    }
    fragment F on Node { id }
  )");
  ASSERT_TRUE(result.ok()) << result.error->message;
  ASSERT_EQ(result.document.definitions.size(), 2u);
  const DefinitionNode& query = result.document.definitions[0];
  EXPECT_EQ(query.name, "Q");
  ASSERT_EQ(query.variables.size(), 2u);
  EXPECT_EQ(PrintTypeNode(*query.variables[0].type), "ID!");
  EXPECT_EQ(PrintTypeNode(*query.variables[1].type), "[String!]");
  EXPECT_EQ(query.variables[0].default_value->text, "1");
  const SelectionNode& field = query.selections[0];
  EXPECT_EQ(field.alias, "alias");
  EXPECT_EQ(field.name, "node");
  ASSERT_EQ(field.arguments.size(), 2u);
  EXPECT_EQ(field.arguments[1].value.items.size(), 7u);
  EXPECT_EQ(field.arguments[1].value.items[1].kind, ValueNode::Kind::kFloat);
  EXPECT_EQ(field.arguments[1].value.items[5].kind, ValueNode::Kind::kEnum);
  ASSERT_EQ(field.selections.size(), 3u);
  EXPECT_EQ(field.selections[0].kind, SelectionNode::Kind::kFragmentSpread);
  EXPECT_EQ(field.selections[1].type_condition, "Book");
  EXPECT_EQ(field.selections[2].type_condition, "");
  EXPECT_EQ(result.document.definitions[1].type_condition, "Node");
}

TEST(ParserTest, BlockStringsLoseTheirCommonIndentation) {
  EXPECT_EQ(DedentBlockString("\n    Hello,\n      World!\n\n    Yours,\n      GraphQL.\n  "),
            "Hello,\n  World!\n\nYours,\n  GraphQL.");
  EXPECT_EQ(DedentBlockString("  first line keeps its indentation\n    second"),
            "  first line keeps its indentation\nsecond");
  EXPECT_EQ(DedentBlockString("   \n  \t \n"), "");
  const ParseResult result = ParseDocument("{ f(a: \"\"\"\n    a \\\"\"\" b\n  \"\"\") }");
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.document.definitions[0].selections[0].arguments[0].value.text, "a \"\"\" b");
}

TEST(ParserTest, StringEscapes) {
  const ParseResult result = ParseDocument(R"({ f(a: "\u00e9\u{1F600}\uD83D\uDE00\n\"") })");
  ASSERT_TRUE(result.ok()) << result.error->message;
  EXPECT_EQ(result.document.definitions[0].selections[0].arguments[0].value.text,
            "\xC3\xA9\xF0\x9F\x98\x80\xF0\x9F\x98\x80\n\"");
}

struct BadDocument {
  const char* text;
  const char* message;
  int line;
  int column;
};

TEST(ParserTest, MalformedDocumentsFailWithTheirPosition) {
  const BadDocument cases[] = {
      {"", "Syntax Error: Unexpected <EOF>.", 1, 1},
      {"{", "Syntax Error: Expected Name, found <EOF>.", 1, 2},
      {"{ a(b: ) }", "Syntax Error: Unexpected \")\".", 1, 8},
      {"query { a }\n  fragment on on T { a }", "Syntax Error: Unexpected Name \"on\".", 2, 12},
      {"{ a(b: \"unterminated) }", "Syntax Error: Unterminated string.", 1, 24},
      {"{ a(b: 01) }", "Syntax Error: Invalid number, unexpected digit after 0: \"1\".", 1, 9},
      {"{ a(b: 1.) }", "Syntax Error: Invalid number, expected digit but got: \")\".", 1, 10},
      {"{ a(b: \"\\x\") }", "Syntax Error: Invalid character escape sequence: \"\\x\".", 1, 9},
      {"{ a ? }", "Syntax Error: Unexpected character: \"?\".", 1, 5},
      {"query Q($a: Int = $b) { a }", "Syntax Error: Unexpected variable \"$b\" in constant value.",
       1, 19},
      {"\"desc\" { a }",
       "Syntax Error: Unexpected description, descriptions are not supported on shorthand "
       "queries.",
       1, 1},
      {"\"desc\" extend type A { a: Int }",
       "Syntax Error: Unexpected description, only GraphQL definitions support descriptions.", 1,
       1},
      {"{ a }\r\n\xC3\xA9 ", "Syntax Error: Unexpected character: U+00E9.", 2, 1},
  };
  for (const auto& c : cases) {
    const ParseResult result = ParseDocument(c.text);
    ASSERT_FALSE(result.ok()) << c.text;
    EXPECT_EQ(result.error->message, c.message) << c.text;
    ASSERT_EQ(result.error->locations.size(), 1u);
    EXPECT_EQ(result.error->locations[0].line, c.line) << c.text;
    EXPECT_EQ(result.error->locations[0].column, c.column) << c.text;
    EXPECT_EQ(result.error->code, kParseFailed);
  }
}

TEST(ParserTest, TenThousandLevelsOfNestingFailFast) {
  for (const auto& [open, close] : {std::pair{"{ a ", "}"}, std::pair{"[", "]"}}) {
    std::string text = open == std::string("[") ? "{ a(b: " : "";
    for (int i = 0; i < 10'000; ++i) text += open;
    for (int i = 0; i < 10'000; ++i) text += close;
    if (open == std::string("[")) text += ") }";
    const auto start = std::chrono::steady_clock::now();
    const ParseResult result = ParseDocument(text);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error->message,
              "Syntax Error: Document nesting exceeds the limit of 100 levels.");
    EXPECT_LT(std::chrono::steady_clock::now() - start, kBounded);
  }
  std::string types = "query Q($a: ";
  for (int i = 0; i < 10'000; ++i) types += "[";
  const ParseResult result = ParseDocument(types);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message,
            "Syntax Error: Document nesting exceeds the limit of 100 levels.");
}

TEST(ParserTest, TokenAndSizeCaps) {
  std::string text = "{";
  for (int i = 0; i < 100'000; ++i) text += " a" + std::to_string(i) + ": a";
  text += " }";
  ParseResult result = ParseDocument(text);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message,
            "Syntax Error: Document contains more than 50000 tokens. Parsing aborted.");

  const std::string huge = "{ a(b: \"" + std::string(2 << 20, 'x') + "\") }";
  result = ParseDocument(huge);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->message,
            "Syntax Error: Document is 2097164 bytes, over the limit of "
            "1048576 bytes.");
  ParseLimits big;
  big.max_bytes = 4 << 20;
  result = ParseDocument(huge, big);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.document.definitions[0].selections[0].arguments[0].value.text.size(), 2u << 20);
}

TEST(ParserTest, SchemaDocumentsReadEveryDefinition) {
  const ParseResult result = ParseSchemaDocument(R"(
    """The root"""
    schema { query: Q }
    "A scalar" scalar Date @specifiedBy(url: "https://example.com")
    type Q implements & A & B @x { "f" f(a: Int = 1 @deprecated): [Q!]! @deprecated(reason: "no") }
    interface A { f: Int }
    union U = | Q | R
    enum E { "one" ONE TWO @deprecated }
    input I { a: Int! = 2, b: [E] }
    directive @x(a: Int) repeatable on FIELD_DEFINITION | OBJECT
    extend type Q { g: Int }
  )");
  ASSERT_TRUE(result.ok()) << result.error->message;
  ASSERT_EQ(result.document.definitions.size(), 9u);
  const TypeSystemNode& object = *result.document.definitions[2].type_system;
  EXPECT_EQ(object.interfaces, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(*object.fields[0].description, "f");
  EXPECT_EQ(result.document.definitions[4].type_system->interfaces,
            (std::vector<std::string>{"Q", "R"}));
  EXPECT_TRUE(result.document.definitions[7].type_system->repeatable);
  EXPECT_TRUE(result.document.definitions[8].type_system->extension);

  const ParseResult executable = ParseSchemaDocument("type Q { a: Int } { a }");
  ASSERT_FALSE(executable.ok());
  EXPECT_EQ(executable.error->message, "Syntax Error: Unexpected \"{\".");
}

}  // namespace
}  // namespace leadline::graphql
