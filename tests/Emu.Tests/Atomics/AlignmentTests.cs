using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.Jit;
using Emu.Linux.Signals;
using Emu.Tests.Support;

namespace Emu.Tests.Atomics;

/// <summary>
/// Alignment faults without FEAT_LSE2 (ARM ARM: acquire/release, exclusive and atomic accesses must be aligned
/// to their size, the whole pair for pairs), through both tiers: the block stops at the faulting instruction
/// with BUS_ADRALN and the address, after the instruction before it has completed. Includes the two cases where
/// qemu-aarch64 7.2 does not fault (unaligned LDAPR; STXR/STXP with the monitor closed), which the ARM ARM
/// pseudocode (AArch64.ExclusiveMonitorsPass checks alignment first) says fault.
/// </summary>
public unsafe class AlignmentTests
{
    private const ulong Data = CpuTestHarness.DataBase + 0x100;
    private const uint AddX9 = 0x91000529; // add x9, x9, #1

    public static TheoryData<string, uint, ulong, ulong?> Cases() => new()
    {
        // name, word (base x1), offset of x1 from Data, faulting address offset (null: no fault)
        { "ldapr x unaligned", 0xf8bfc022, 4, 4 },
        { "ldapr x aligned", 0xf8bfc022, 8, null },
        { "stxr x, monitor closed", 0xc8037c22, 4, 4 },
        { "stxp x, 8-aligned pair", 0xc8231424, 8, 8 },
        { "ldar x", 0xc8dffc22, 1, 1 },
        { "ldxr w unaligned", 0x885f7c22, 2, 2 },
        { "ldxr w aligned", 0x885f7c22, 4, null },
        { "caspal x, 8-aligned pair", 0x4864fc26, 8, 8 },
        { "caspal x aligned", 0x4864fc26, 16, null },
        { "ldadd x", 0xf8230022, 12, 12 },
        { "ldaxp x, 8-aligned pair", 0xc87f8c22, 8, 8 },
        { "stlur w #3", 0x99003022, 0, 3 },
        { "stlur w #3 aligned", 0x99003022, 1, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FaultsOnlyWhenUnaligned(string name, uint word, ulong offset, ulong? faultOffset)
    {
        _ = name;
        CpuTestHarness.RunBothTiers([AddX9, word], h =>
        {
            h[1] = Data + offset;
            h[2] = 0x2222;
            h[9] = 0;
        }, h =>
        {
            Assert.Equal(1UL, h[9]);
            if (faultOffset is ulong fo)
            {
                Assert.Equal(ExitReason.MemoryFault, h.StopReason);
                Assert.Equal(CpuTestHarness.CodeBase + 4, h.StopPc);
                Assert.Equal(HostFaultHandler.BusFlag | AlignmentCheck.BusAdraln, h.Ctx->FaultCode);
                Assert.Equal(Data + fo, h.Ctx->FaultAddress);
            }
            else
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            }
        });
    }

    [Fact]
    public void PlainLoadsAndStoresDoNotFault()
    {
        CpuTestHarness.RunBothTiers([0xf8403022, 0xf8003022], h => h[1] = Data + 1, // ldur x2, [x1, #3]; stur x2, [x1, #3]
            h => Assert.Equal(ExitReason.Breakpoint, h.StopReason));
    }
}
