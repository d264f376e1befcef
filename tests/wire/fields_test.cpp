#include "schema/wire/fields.hpp"

#include <gtest/gtest.h>

namespace confidant::wire {
namespace {

request req(const char* frame) { return *parse_request(frame); }

TEST(FieldReader, ReadsValidFields) {
  const auto r = req(R"({"type":"t","rid":"1","name":"Ann","tags":["a","b"],"n":5})");
  field_reader in{r};
  EXPECT_EQ(in.text("name", {}), "Ann");
  EXPECT_EQ(in.strings("tags", {}), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(in.integer("n", {.min = 1, .max = 9}), 5);
  EXPECT_TRUE(in.finish());
}

TEST(FieldReader, MissingRequiredField) {
  const auto r = req(R"({"type":"t","rid":"1"})");
  field_reader in{r};
  (void)in.text("name", {});
  auto done = in.finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, errc::missing_field);
  EXPECT_EQ(done.error().rid, "1");
}

TEST(FieldReader, OptionalFieldMayBeAbsent) {
  const auto r = req(R"({"type":"t","rid":"1"})");
  field_reader in{r};
  EXPECT_FALSE(in.text("name", {.required = false}).has_value());
  EXPECT_TRUE(in.finish());
}

TEST(FieldReader, WrongTypesAndLimitsAreInvalid) {
  for (const char* frame : {R"({"type":"t","rid":"1","name":5})", R"({"type":"t","rid":"1","name":""})",
                            R"({"type":"t","rid":"1","name":"toolong"})"}) {
    const auto r = req(frame);
    field_reader in{r};
    (void)in.text("name", {.min_length = 1, .max_length = 4});
    auto done = in.finish();
    ASSERT_FALSE(done) << frame;
    EXPECT_EQ(done.error().code, errc::invalid_field) << frame;
  }
  for (const char* frame : {R"({"type":"t","rid":"1","n":"5"})", R"({"type":"t","rid":"1","n":10})",
                            R"({"type":"t","rid":"1","n":1.5})", R"({"type":"t","rid":"1","n":-1})"}) {
    const auto r = req(frame);
    field_reader in{r};
    (void)in.integer("n", {.min = 0, .max = 9});
    auto done = in.finish();
    ASSERT_FALSE(done) << frame;
    EXPECT_EQ(done.error().code, errc::invalid_field) << frame;
  }
  for (const char* frame : {R"({"type":"t","rid":"1","l":[]})", R"({"type":"t","rid":"1","l":[1]})",
                            R"({"type":"t","rid":"1","l":"a"})", R"({"type":"t","rid":"1","l":["a","b","c"]})"}) {
    const auto r = req(frame);
    field_reader in{r};
    (void)in.strings("l", {.min_items = 1, .max_items = 2});
    auto done = in.finish();
    ASSERT_FALSE(done) << frame;
    EXPECT_EQ(done.error().code, errc::invalid_field) << frame;
  }
}

TEST(FieldReader, UnknownFieldsAreRefused) {
  const auto r = req(R"({"type":"t","rid":"1","name":"a","extra":true})");
  field_reader in{r};
  (void)in.text("name", {});
  auto done = in.finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, errc::unknown_field);
  EXPECT_NE(done.error().message.find("extra"), std::string::npos);
}

TEST(FieldReader, UnknownFieldWithStrangeNameIsNotEchoed) {
  const auto r = req(R"({"type":"t","rid":"1","CANARY secret":true})");
  field_reader in{r};
  auto done = in.finish();
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().message.find("CANARY"), std::string::npos);
}

}  // namespace
}  // namespace confidant::wire
