// The import table exercised exactly as an emulator drives it: argument words in r3..r10 and on
// the stack, results in r3, big-endian outputs in guest memory.
#include <atomic>
#include <sstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "common/log.h"
#include "hle/exports.h"
#include "hle/guest/marshal.h"
#include "hle/nssl/errors.h"
#include "support/guest_env.h"

using namespace wiiu;
using namespace wiiu::guest;
using nssl::NsslError;

namespace {

// Small test exports standing in for real ones.
std::int32_t weightedSum(Call&, std::int32_t a, std::int32_t b, std::int32_t c, std::int32_t d, std::int32_t e,
                         std::int32_t f, std::int32_t g, std::int32_t h, std::int32_t i, std::int32_t j)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h + 9 * i + 10 * j;
}

NsslError storeWord(Call& call, GuestPtr<be32> out, std::uint32_t value)
{
    return call.memory().store(out, be32(value)) ? NsslError::OK : NsslError::INVALID_ARG;
}

std::int32_t boundedLength(Call& call, GuestPtr<const char> text, std::uint32_t max)
{
    auto s = call.memory().string(text, max);
    return s ? static_cast<std::int32_t>(s->size()) : -1;
}

std::uint32_t echoWithThread(Call& call, std::uint32_t x)
{
    return x ^ static_cast<std::uint32_t>(call.thread());
}

std::uint16_t narrow(Call&, std::uint16_t v, std::int8_t s)
{
    return static_cast<std::uint16_t>(v + s);
}

ImportTable makeTestTable()
{
    ImportTable table;
    ImportTableBuilder t(table);
    t.add({"test", "weightedSum", export_fn<weightedSum>, true});
    t.add({"test", "storeWord", export_fn<storeWord>, true});
    t.add({"test", "boundedLength", export_fn<boundedLength>, true});
    t.add({"test", "echoWithThread", export_fn<echoWithThread>, true});
    t.add({"test", "narrow", export_fn<narrow>, true});
    return table;
}

const ImportTable& testTable()
{
    static const ImportTable t = makeTestTable();
    return t;
}

TEST(ImportTableTest, ArgumentsComeFromRegistersThenTheStack)
{
    test::GuestEnv env(testTable());
    const auto r = static_cast<std::int32_t>(env.call("test", "weightedSum", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(r, 1 + 4 + 9 + 16 + 25 + 36 + 49 + 64 + 81 + 100);
    // Negative values travel as 32-bit words.
    const auto neg = static_cast<std::int32_t>(
        env.call("test", "weightedSum", {static_cast<std::uint32_t>(-1), 0, 0, 0, 0, 0, 0, 0, 0, 1}));
    EXPECT_EQ(neg, -1 + 10);
}

TEST(ImportTableTest, NarrowParametersAndResultsAreTruncatedWords)
{
    test::GuestEnv env(testTable());
    EXPECT_EQ(env.call("test", "narrow", {0x12340005, 0xFFFFFFFF}), 4u);  // 0x0005 + (-1)
}

TEST(ImportTableTest, OutputsAreBigEndianInGuestMemory)
{
    test::GuestEnv env(testTable());
    const auto out = env.alloc(4);
    EXPECT_EQ(env.call("test", "storeWord", {out, 0x01020304}), 0u);
    EXPECT_EQ(static_cast<unsigned char>(*env.host(out)), 0x01);
    EXPECT_EQ(env.readBe32(out), 0x01020304u);
}

TEST(ImportTableTest, BadPointersAreRefusedNotFollowed)
{
    test::GuestEnv env(testTable());
    const auto invalid = static_cast<std::uint32_t>(nssl::code(NsslError::INVALID_ARG));
    EXPECT_EQ(env.call("test", "storeWord", {0, 1}), invalid);
    EXPECT_EQ(env.call("test", "storeWord", {0xFFFFFFFE, 1}), invalid);
    EXPECT_EQ(env.call("test", "storeWord", {test::GuestEnv::kBase - 2, 1}), invalid);  // straddles start
    EXPECT_EQ(env.call("test", "storeWord", {test::GuestEnv::kBase + test::GuestEnv::kSize - 2, 1}), invalid);
    auto s = env.putString("four");
    EXPECT_EQ(env.call("test", "boundedLength", {s.address, 10}), 4u);
    EXPECT_EQ(static_cast<std::int32_t>(env.call("test", "boundedLength", {s.address, 3})), -1);
    EXPECT_EQ(static_cast<std::int32_t>(env.call("test", "boundedLength", {0x20, 10})), -1);
}

TEST(ImportTableTest, UnknownNamesAndIndicesAreReported)
{
    const ImportTable& t = testTable();
    EXPECT_FALSE(t.find("test", "nope"));
    EXPECT_FALSE(t.find("other", "weightedSum"));
    EXPECT_EQ(t.find("test.rpl", "weightedSum"), t.find("test", "weightedSum"));
    test::GuestEnv env(t);
    CallFrame frame;
    EXPECT_FALSE(t.call(9999, env.process(), env.memory(), frame));
    ImportTable dupTable;
    ImportTableBuilder dup(dupTable);
    dup.add({"a", "f", export_fn<narrow>, true});
    EXPECT_THROW(dup.add({"a", "f", export_fn<narrow>, true}), std::logic_error);
}

TEST(ImportTableTest, ConcurrentCallsFromSeveralGuestThreads)
{
    test::GuestEnv env(testTable());
    const auto index = *testTable().find("test", "echoWithThread");
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (std::uint32_t t = 1; t <= 3; ++t) {
        threads.emplace_back([&, t] {
            for (std::uint32_t i = 0; i < 20000; ++i)
                if (env.callIndex(index, {i}, t) != (i ^ t))
                    ++wrong;
        });
    }
    for (auto& th : threads)
        th.join();
    EXPECT_EQ(wrong.load(), 0);
}

TEST(ModuleImportTable, ListsEveryKnownExportOfBothLibraries)
{
    const ImportTable& t = importTable();
    for (const char* name : {"NSSLInit", "NSSLRead", "NSSLEncrypt", "NSSLNSECEncrypt", "socket", "select",
                             "getaddrinfo", "socketlasterr"})
        EXPECT_TRUE(t.find("nsysnet.rpl", name)) << name;
    for (const char* name : {"NSSLAddCRLExternal", "NSSLContextSetFlags", "NSSLContextGetFlags",
                             "NSSLContextClearFlags", "NSSLContextSetMode"})
        EXPECT_TRUE(t.find("nn_nets2", name)) << name;
    EXPECT_FALSE(t.find("nn_nets2", "NSSLRead"));
    const std::string report = t.coverageReport();
    EXPECT_NE(report.find("NSSLNSECEncrypt"), std::string::npos);
    EXPECT_NE(report.find("not implemented"), std::string::npos);
    EXPECT_NE(report.find("nsysnet: "), std::string::npos);
}

TEST(ModuleImportTable, NotImplementedExportsReturnTheDocumentedErrorAndLogOnce)
{
    std::ostringstream captured;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    log::nssl().sinks().push_back(sink);
    test::GuestEnv env;
    const auto unknown = static_cast<std::uint32_t>(nssl::code(NsslError::UNKNOWN));
    EXPECT_EQ(env.call("nsysnet", "NSSLNSECEncrypt", {1, 2, 3}), unknown);
    EXPECT_EQ(env.call("nsysnet", "NSSLNSECEncrypt", {1, 2, 3}), unknown);
    log::nssl().sinks().pop_back();
    std::string text = captured.str();
    const auto first = text.find("NSSLNSECEncrypt is not implemented");
    ASSERT_NE(first, std::string::npos) << text;
    EXPECT_EQ(text.find("NSSLNSECEncrypt is not implemented", first + 1), std::string::npos) << "logged twice";
    EXPECT_FALSE(importTable().entry(*importTable().find("nsysnet", "NSSLNSECEncrypt")).implemented);

    // A new process logs again.
    env.restartProcess();
    EXPECT_TRUE(env.process().state()->firstFailureOf(*importTable().find("nsysnet", "NSSLNSECEncrypt")));
}

}  // namespace

TEST(ModuleImportTable, TheTraceNamesHandleArgumentsAndResults)
{
    test::GuestEnv env;
    auto traced = [&](std::string_view name, std::initializer_list<std::uint32_t> words) {
        CallTrace trace;
        CallFrame frame;
        frame.gpr[1] = test::GuestEnv::kStackTop - 0x100;
        frame.setArguments(std::span(words.begin(), words.size()), env.memory());
        frame.trace = &trace;
        EXPECT_TRUE(importTable().call(*importTable().find("nsysnet", name), env.process(), env.memory(), frame));
        return trace;
    };
    traced("NSSLInit", {});
    const CallTrace created = traced("NSSLCreateContext", {0});
    EXPECT_EQ(created.arguments, "0");
    EXPECT_EQ(created.result, "0");  // the new handle's number
    const CallTrace destroyed = traced("NSSLDestroyContext", {0});
    EXPECT_EQ(destroyed.arguments, "ctx=0");
    EXPECT_EQ(destroyed.result, "NSSL_ERROR_OK");
    const CallTrace stale = traced("NSSLDoHandshake", {7});
    EXPECT_EQ(stale.arguments, "conn=7");
    EXPECT_EQ(stale.result, "NSSL_ERROR_INVALID_NSSL_CONNECTION");
    traced("NSSLFinish", {});
}

TEST(ImportTableTest, ExportCountIsTheTablesSize)
{
    // A glue table sized by the compile-time count must hold every export, index for index.
    ASSERT_EQ(importTable().entries().size(), kExportCount);
    for (ExportIndex i = 0; i < kExportCount; ++i)
        EXPECT_EQ(importTable().find(importTable().entries()[i].library, importTable().entries()[i].name), i);
}
