// A store of the console's public CAs only (dump_certs --public-cas, from the host's bundle):
// NSSLAddServerPKIGroups, called through the import table, counts what is present and what is not.
#include <filesystem>

#include <gtest/gtest.h>

#include "certstore/known_certs.h"
#include "certstore/public_cas.h"
#include "support/nssl_guest.h"

using namespace wiiu;
using namespace wiiu::test;

namespace {

TEST(NsslPublicCas, AddServerPkiGroupsCountsWhatTheBundleHeld)
{
    if (!std::filesystem::exists(certstore::kSystemCaBundle)) GTEST_SKIP() << "no system CA bundle";
    auto found = certstore::publicCasFromBundle(certstore::kSystemCaBundle);
    ASSERT_TRUE(found) << found.error().message;
    if (found->empty()) GTEST_SKIP() << "the system bundle holds none of the console's CAs";
    std::uint32_t commercial = 0, commercial4096 = 0;
    for (const auto& e : *found) {
        commercial += (e.groups & certstore::kGroupCommercial) != 0;
        commercial4096 += (e.groups & certstore::kGroupCommercial4096) != 0;
    }
    auto store = certstore::CertStore::create(std::move(*found));
    ASSERT_TRUE(store) << store.error().message;

    NsslGuest g({}, *store);
    const std::int32_t ctx = g.context(0);
    ASSERT_GE(ctx, 0);
    const auto valid = g.alloc(4);
    const auto invalid = g.alloc(4);
    const auto c = static_cast<std::uint32_t>(ctx);
    // The known table lists 33 commercial CAs (group 2) and 2 of 4096 bits (group 4).
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {c, certstore::kGroupCommercial, valid, invalid}), 0);
    EXPECT_EQ(g.readBe32(valid), commercial);
    EXPECT_EQ(g.readBe32(invalid), 33u - commercial);
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {c, certstore::kGroupCommercial4096, valid, invalid}), 0);
    EXPECT_EQ(g.readBe32(valid), commercial4096);
    EXPECT_EQ(g.readBe32(invalid), 2u - commercial4096);
    // No Nintendo CA comes from a public bundle.
    ASSERT_EQ(g.nssl("NSSLAddServerPKIGroups", {c, certstore::kGroupNintendo, valid, invalid}), 0);
    EXPECT_EQ(g.readBe32(valid), 0u);
    EXPECT_EQ(g.readBe32(invalid), 6u);
}

}  // namespace
