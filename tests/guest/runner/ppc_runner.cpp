#include "guest/runner/ppc_runner.h"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <unicorn/unicorn.h>

#include "hle/exports.h"

namespace wiiu::test::ppc {

namespace {

constexpr std::uint32_t kMsrFp = 0x2000;

std::uint32_t be32At(const std::byte* p)
{
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | std::to_integer<std::uint32_t>(p[i]);
    return v;
}

void putBe32(std::byte* p, std::uint32_t v)
{
    for (int i = 3; i >= 0; --i, v >>= 8)
        p[i] = static_cast<std::byte>(v & 0xFF);
}

std::string ucError(uc_err e) { return uc_strerror(e); }

}  // namespace

/// Per guest thread: what the hook needs. One per Unicorn instance, so no locking here.
struct PpcRunner::ThreadContext {
    PpcRunner* runner = nullptr;
    guest::GuestThreadId thread = 0;
    std::uint64_t calls = 0;
    std::string error;
    std::optional<std::uint32_t> exitStatus;  ///< set by coreinit's exit
};

PpcRunner::PpcRunner(Settings settings)
    : ram_(new std::byte[Layout::kMemorySize]()),
      memory_(ram_.get() + Layout::kMapStart, Layout::kMapStart, Layout::kMemorySize - Layout::kMapStart),
      hooks_(Layout::kHeap, Layout::kMemorySize - Layout::kHeap),
      table_(settings.table ? *settings.table : importTable()),
      process_(std::make_unique<Process>(hooks_, std::move(settings.store), std::move(settings.nssl)))
{
    // The exit address holds a `blr` too, although the run stops before executing it.
    putBe32(host(Layout::kExit), kBlr);
    // The "host" imports of programs/runner_imports.txt, with single-thread defaults.
    addHostImport("host_nop", {});
    addHostImport("host_echo", [](guest::CallFrame& frame) { frame.setResult(frame.gpr[3]); });
    addHostImport("host_barrier", [](guest::CallFrame& frame) { frame.setResult(0); });
}

PpcRunner::~PpcRunner()
{
    process_.reset();  // before the memory its hooks' heap describes
}

void PpcRunner::addHostImport(std::string name, HostImport function)
{
    auto it = std::find_if(hostImports_.begin(), hostImports_.end(), [&](const auto& p) { return p.first == name; });
    if (it != hostImports_.end())
        it->second = std::move(function);
    else
        hostImports_.emplace_back(std::move(name), std::move(function));
}

void PpcRunner::onStub(uc_engine* uc, std::uint64_t address, std::uint32_t /*size*/, void* user)
{
    auto& ctx = *static_cast<ThreadContext*>(user);
    PpcRunner& self = *ctx.runner;
    const std::uint64_t offset = address - Layout::kStubs;
    const std::uint64_t slot = offset / Layout::kStubStride;
    if (offset % Layout::kStubStride != 0 || slot >= self.imports_.size()) {
        ctx.error = fmt::format("guest jumped into the stub area at {:#x}", address);
        uc_emu_stop(uc);
        return;
    }
    const Import& import = self.imports_[slot];
    ++ctx.calls;
    if (import.isExit) {
        std::uint32_t status = 0;
        uc_reg_read(uc, UC_PPC_REG_3, &status);
        ctx.exitStatus = status;
        uc_emu_stop(uc);
        return;
    }
    if (import.isHost && !import.host)
        return;  // the bare stub: the guest's blr returns at once

    guest::CallFrame frame;
    frame.thread = ctx.thread;
    static constexpr int kRegs[9] = {UC_PPC_REG_1, UC_PPC_REG_3, UC_PPC_REG_4, UC_PPC_REG_5, UC_PPC_REG_6,
                                     UC_PPC_REG_7, UC_PPC_REG_8, UC_PPC_REG_9, UC_PPC_REG_10};
    void* values[9] = {&frame.gpr[1], &frame.gpr[3], &frame.gpr[4], &frame.gpr[5], &frame.gpr[6],
                       &frame.gpr[7], &frame.gpr[8], &frame.gpr[9], &frame.gpr[10]};
    if (uc_reg_read_batch(uc, const_cast<int*>(kRegs), values, 9) != UC_ERR_OK) {
        ctx.error = "uc_reg_read_batch failed";
        uc_emu_stop(uc);
        return;
    }
    if (import.host) {
        import.host(frame);
    } else {
        if (self.observer_)
            self.observer_(*import.index, frame);
        if (!self.table_.call(*import.index, *self.process_, self.memory_, frame)) {
            ctx.error = fmt::format("import table refused index {}", *import.index);
            uc_emu_stop(uc);
            return;
        }
    }
    const std::uint32_t r3 = frame.result();
    uc_reg_write(uc, UC_PPC_REG_3, &r3);
}

RunResult PpcRunner::run(const ThreadSpec& spec, unsigned slot)
{
    RunResult result;
    if (entry_ == 0) {
        result.error = "no program loaded";
        return result;
    }
    if (slot >= Layout::kMaxThreads) {
        result.error = "stack slot out of range";
        return result;
    }
    // Unicorn's first use of an engine fills process-global translation tables (the PowerPC
    // register names, written with snprintf), so engines are set up one at a time; they run
    // concurrently. An emulator creates its cores once, before any of them runs.
    static std::mutex setupMutex;
    std::unique_lock setup(setupMutex);
    uc_engine* uc = nullptr;
    if (uc_err e = uc_open(UC_ARCH_PPC, static_cast<uc_mode>(UC_MODE_PPC32 | UC_MODE_BIG_ENDIAN), &uc); e) {
        result.error = "uc_open: " + ucError(e);
        return result;
    }
    struct Closer {
        uc_engine* uc;
        ~Closer() { uc_close(uc); }
    } closer{uc};

    ThreadContext ctx;
    ctx.runner = this;
    ctx.thread = spec.thread ? spec.thread : 0x10000000u + slot * 0x1000u;  // like an OSThread address
    uc_hook hook{};
    uc_err e = uc_ctl_set_cpu_model(uc, UC_CPU_PPC32_750CL_V2_0);
    if (!e)
        e = uc_mem_map_ptr(uc, Layout::kMapStart, Layout::kMemorySize - Layout::kMapStart, UC_PROT_ALL,
                           ram_.get() + Layout::kMapStart);
    if (!e)
        e = uc_hook_add(uc, &hook, UC_HOOK_CODE, reinterpret_cast<void*>(&PpcRunner::onStub), &ctx,
                        std::uint64_t{Layout::kStubs}, std::uint64_t{Layout::kStubs + 0xFFF});
    std::uint32_t msr = 0;
    if (!e)
        e = uc_reg_read(uc, UC_PPC_REG_MSR, &msr);
    msr |= kMsrFp;  // guest code saves FP registers in prologues
    const std::uint32_t sp = Layout::kStacks + (slot + 1) * Layout::kStackSize - 64;
    const std::uint32_t lr = Layout::kExit;
    std::memset(host(sp), 0, 64);  // back chain 0
    if (!e)
        e = uc_reg_write(uc, UC_PPC_REG_MSR, &msr);
    if (!e)
        e = uc_reg_write(uc, UC_PPC_REG_1, &sp);
    if (!e)
        e = uc_reg_write(uc, UC_PPC_REG_LR, &lr);
    if (!e)
        e = uc_reg_write(uc, UC_PPC_REG_3, &spec.r3);
    if (!e)
        e = uc_reg_write(uc, UC_PPC_REG_4, &spec.r4);
    if (e) {
        result.error = "setup: " + ucError(e);
        return result;
    }

    setup.unlock();
    const auto start = std::chrono::steady_clock::now();
    e = uc_emu_start(uc, entry_, Layout::kExit, 0, 0);
    result.elapsed = std::chrono::steady_clock::now() - start;
    result.calls = ctx.calls;

    std::uint32_t pc = 0;
    uc_reg_read(uc, UC_PPC_REG_PC, &pc);
    uc_reg_read(uc, UC_PPC_REG_3, &result.r3);
    if (ctx.exitStatus) {
        result.r3 = *ctx.exitStatus;
        result.exited = true;
    }
    if (e)
        result.error = fmt::format("uc_emu_start: {} at pc {:#010x}", ucError(e), pc);
    else if (!ctx.error.empty())
        result.error = ctx.error;
    else if (pc != Layout::kExit && !ctx.exitStatus)
        result.error = fmt::format("stopped at pc {:#010x}, not at the exit address", pc);
    result.ok = result.error.empty();
    return result;
}

std::vector<RunResult> PpcRunner::runConcurrently(const std::vector<ThreadSpec>& specs)
{
    std::vector<RunResult> results(specs.size());
    std::vector<std::thread> threads;
    threads.reserve(specs.size());
    for (std::size_t i = 0; i < specs.size(); ++i)
        threads.emplace_back([&, i] { results[i] = run(specs[i], static_cast<unsigned>(i)); });
    for (auto& t : threads)
        t.join();
    return results;
}

guest::GuestAddress PpcRunner::alloc(std::uint32_t size)
{
    if (static_cast<std::uint64_t>(nextData_) + size > Layout::kStacks)
        throw std::runtime_error("PpcRunner: test data region exhausted");
    const guest::GuestAddress at = nextData_;
    nextData_ += (size + 7) & ~7u;
    std::memset(host(at), 0, size);
    return at;
}

guest::GuestAddress PpcRunner::putBytes(std::span<const std::uint8_t> bytes)
{
    const auto at = alloc(static_cast<std::uint32_t>(bytes.size()));
    std::memcpy(host(at), bytes.data(), bytes.size());
    return at;
}

std::uint32_t PpcRunner::loadBe32(guest::GuestAddress address) const { return be32At(ram_.get() + address); }

void PpcRunner::storeBe32(guest::GuestAddress address, std::uint32_t value) { putBe32(host(address), value); }

std::filesystem::path programPath(std::string_view name)
{
    return std::filesystem::path(WIIU_PPC_PROGRAM_DIR) / (std::string(name) + ".rpx");
}

}  // namespace wiiu::test::ppc
