#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <wiiu_nssl/cert_store.h>
#include "certstore/known_certs.h"

using namespace wiiu::certstore;
using ::testing::HasSubstr;

namespace {

// CertStore itself never parses the DER, so placeholder bytes are enough here.
Entry server(std::int32_t id, std::uint32_t groups, std::uint32_t properties = kPropExportable)
{
    Entry e;
    e.id = id;
    e.name = "CA_" + std::to_string(id);
    e.groups = groups;
    e.permissions.properties = properties;
    e.certDer = {0x30, 0x00, static_cast<std::uint8_t>(id)};
    return e;
}

Entry client(std::int32_t id, std::uint32_t properties = kPropHasKey | kPropExportable)
{
    Entry e = server(id, 0, properties);
    e.kind = Kind::Client;
    e.permissions.type = kTypeClient;
    const std::uint8_t key[] = {0x30, 0x01, 0x42};
    e.keyDer = SecretBytes(key);
    return e;
}

std::shared_ptr<const CertStore> makeStore()
{
    std::vector<Entry> v;
    v.push_back(server(1001, kGroupCommercial));
    v.push_back(server(100, kGroupNintendo));
    v.push_back(server(102, kGroupNintendo, 0));  // not exportable
    v.push_back(client(1));
    v.push_back(client(6, kPropHasKey));
    Entry enc = server(105, kGroupNintendo);
    enc.permissions.encoding = 2;
    v.push_back(std::move(enc));
    auto s = CertStore::create(std::move(v));
    EXPECT_TRUE(s) << s.error().message;
    return *s;
}

}  // namespace

TEST(certstore_known, TableHasTheDocumentedIdsGroupsAndFingerprints)
{
    int nintendo = 0, commercial = 0, big = 0, clients = 0;
    for (const KnownCert& k : knownCerts()) {
        if (k.groups == kGroupNintendo) { ++nintendo; EXPECT_GE(k.id, 100); EXPECT_LE(k.id, 105); }
        if (k.groups == kGroupCommercial) { ++commercial; EXPECT_GE(k.id, 1001); EXPECT_LE(k.id, 1033); }
        if (k.groups == kGroupCommercial4096) { ++big; EXPECT_TRUE(k.pathGuessed); }
        if (k.kind == Kind::Client) { ++clients; EXPECT_FALSE(k.keyPath.empty()); EXPECT_TRUE(k.sha1.empty()); }
        else { EXPECT_EQ(k.sha1.size(), 40u) << k.id; }
    }
    EXPECT_EQ(nintendo, 6);
    EXPECT_EQ(commercial, 33);
    EXPECT_EQ(big, 2);
    EXPECT_EQ(clients, 7);
    ASSERT_NE(findKnown(102), nullptr);
    EXPECT_EQ(findKnown(102)->sha1, "68a07705ccc7a408416e0ed7ad65f2ec3fea9862");
    EXPECT_EQ(findKnown(7)->certPath, findKnown(4)->certPath);
    EXPECT_EQ(findKnown(8)->keyPath, findKnown(6)->keyPath);
    EXPECT_EQ(findKnown(2), nullptr);
}

TEST(certstore_store, FindAndGroups)
{
    auto store = makeStore();
    ASSERT_EQ(store->size(), 6u);
    EXPECT_EQ(store->entries().front().id, 1);  // sorted
    ASSERT_NE(store->find(1001), nullptr);
    EXPECT_EQ(store->find(1001)->name, "CA_1001");
    EXPECT_EQ(store->find(9999), nullptr);

    auto nintendo = store->inGroups(kGroupNintendo);
    ASSERT_EQ(nintendo.size(), 3u);
    EXPECT_EQ(nintendo[0]->id, 100);
    EXPECT_EQ(store->inGroups(kGroupNintendo | kGroupCommercial).size(), 4u);
    EXPECT_TRUE(store->inGroups(kGroupCommercial4096).empty());

    EXPECT_EQ(store->missingInGroups(kGroupNintendo), 3);     // 101, 103, 104
    EXPECT_EQ(store->missingInGroups(kGroupCommercial), 32);  // all but 1001
    EXPECT_EQ(store->missingInGroups(kGroupCommercial4096), 2);
    EXPECT_EQ(store->missingInGroups(kAllGroups), 37);
    EXPECT_EQ(store->missingInGroups(0), 0);
}

TEST(certstore_store, ExportChecks)
{
    auto store = makeStore();
    auto ca = store->exportServerCertificate(100);
    ASSERT_TRUE(ca);
    EXPECT_EQ(ca->size(), 3u);
    EXPECT_EQ(store->exportServerCertificate(102).error(), ExportError::NotExportable);
    EXPECT_EQ(store->exportServerCertificate(9999).error(), ExportError::UnknownId);
    EXPECT_EQ(store->exportServerCertificate(1).error(), ExportError::WrongType);
    EXPECT_EQ(store->exportServerCertificate(105).error(), ExportError::WrongEncoding);

    auto c = store->exportClientCertificate(1);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->keyDer.size(), 3u);
    EXPECT_EQ(c->keyDer[2], 0x42);
    EXPECT_EQ(store->exportClientCertificate(6).error(), ExportError::NotExportable);
    EXPECT_EQ(store->exportClientCertificate(100).error(), ExportError::WrongType);
    EXPECT_EQ(exportErrorName(ExportError::WrongType), "wrong certificate type");

    // A named caller that no list admits (these entries have empty lists): refused right after
    // the ID check, before exportability.
    const Caller game{0x0005000010101A00ull, kIosProcessCosMaster, 0};
    EXPECT_EQ(store->exportServerCertificate(9999, &game).error(), ExportError::UnknownId);
    EXPECT_EQ(store->exportServerCertificate(100, &game).error(), ExportError::NoAccess);
    EXPECT_EQ(store->exportServerCertificate(102, &game).error(), ExportError::NoAccess);
    EXPECT_EQ(store->exportClientCertificate(1, &game).error(), ExportError::NoAccess);
}

TEST(certstore_store, CreateRefusesInconsistentEntries)
{
    std::vector<Entry> dup;
    dup.push_back(server(100, 1));
    dup.push_back(server(100, 1));
    EXPECT_THAT(CertStore::create(std::move(dup)).error().message, HasSubstr("ID 100 appears twice"));

    std::vector<Entry> noKey;
    noKey.push_back(client(1));
    noKey[0].keyDer.clear();
    EXPECT_THAT(CertStore::create(std::move(noKey)).error().message, HasSubstr("has no private key"));

    std::vector<Entry> badType;
    badType.push_back(client(1));
    badType[0].permissions.type = kTypeServer;
    EXPECT_THAT(CertStore::create(std::move(badType)).error().message, HasSubstr("TYPE 1 does not fit a client"));
}

TEST(certstore_permissions, CapabilityTitleAndProcessRules)
{
    const Caller game{0x0005000010101A00ull, kIosProcessCosMaster, 0};
    Permissions p;
    EXPECT_FALSE(p.allows(game));  // empty lists: nobody

    p.capabilityMask = 0x30;
    EXPECT_FALSE(p.allows(game));
    EXPECT_TRUE(p.allows(Caller{game.titleId, game.processId, 0x10}));

    p = {};
    p.titleIds = {0x0005001010040100ull, game.titleId};
    EXPECT_TRUE(p.allows(game));
    EXPECT_FALSE(p.allows(Caller{0x0005000010101B00ull, kIosProcessCosMaster, 0}));

    p = {};
    p.processIds = {-4};
    EXPECT_TRUE(p.allows(game));
    p.processIds = {-2};  // the IOS processes, IOSTEST included
    EXPECT_FALSE(p.allows(game));
    EXPECT_TRUE(p.allows(Caller{0, kIosProcessTest, 0}));
    EXPECT_TRUE(p.allows(Caller{0, 9, 0}));
    p.processIds = {-3};  // the Cafe OS processes
    EXPECT_TRUE(p.allows(game));
    EXPECT_TRUE(p.allows(Caller{0, kIosProcessCosKernel, 0}));
    EXPECT_FALSE(p.allows(Caller{0, kIosProcessTest, 0}));
    p.processIds = {15, 21};
    EXPECT_TRUE(p.allows(game));
    EXPECT_FALSE(p.allows(Caller{0, 18, 0}));
    p.processIds = {15, -1, 21};  // -1 ends the list
    EXPECT_FALSE(p.allows(game));
    EXPECT_TRUE(p.allows(Caller{0, 15, 0}));
}
