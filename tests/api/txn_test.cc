// txn_test.cc: the Compare builders of api/txn.h.
#include "api/txn.h"

#include <gtest/gtest.h>

namespace coord {
namespace {

TEST(TxnTest, IntLiteralComparesAsANumber) {
  const Compare c = Compare::version("k") == 0;
  EXPECT_EQ(c.key, "k");
  EXPECT_EQ(c.target, Compare::Target::kVersion);
  EXPECT_EQ(c.op, Compare::Op::kEqual);
  EXPECT_EQ(c.number, 0);
  EXPECT_TRUE(c.value_bytes.empty());
  const Compare g = Compare::mod_revision("k") > 7;
  EXPECT_EQ(g.op, Compare::Op::kGreater);
  EXPECT_EQ(g.number, 7);
}

TEST(TxnTest, StringLiteralComparesTheValueBytes) {
  const Compare c = Compare::value("k") != "0";
  EXPECT_EQ(c.target, Compare::Target::kValue);
  EXPECT_EQ(c.op, Compare::Op::kNotEqual);
  EXPECT_EQ(c.value_bytes, "0");
}

}  // namespace
}  // namespace coord
