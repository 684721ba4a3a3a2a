using Emu.Cpu;
using Emu.Tests.Support;

namespace Emu.Tests.Frontend;

/// <summary>
/// Load/store behaviour the qemu-referenced cases do not cover: prefetches never fault, store-exclusive
/// failure paths, SP-based writeback, and PC-relative literals. Expected values follow from the architecture.
/// </summary>
public class LoadStoreBehaviourTests
{
    private const ulong D = CpuTestHarness.DataBase;

    [Fact]
    public void PrefetchesOfUnmappedAddressesDoNotFault() =>
        CpuTestHarness.RunBothTiers(
            [0xf9800400, 0xf89ff013, 0xf8a16800], // prfm [x0, #8]; prfum [x0, #-1]; prfm [x0, x1]
            h =>
            {
                h[0] = 0x7000_0000; // far outside every mapping
                h[1] = 0x1234;
            },
            h =>
            {
                Assert.Equal(ExitReason.Breakpoint, h.StopReason);
                Assert.Equal(CpuTestHarness.CodeBase + 12, h.StopPc);
            });

    [Fact]
    public void StoreExclusiveWithoutAMonitorFailsAndDoesNotStore() =>
        CpuTestHarness.RunBothTiers(
            [0xc8057c27], // stxr w5, x7, [x1]
            h =>
            {
                h[1] = D + 0x40;
                h[5] = 0xdead;
                h[7] = 0x1111;
            },
            h =>
            {
                Assert.Equal(1UL, h[5]);
                Assert.Equal(0UL, h.Memory.Read<ulong>(D + 0x40));
            });

    [Fact]
    public void StoreExclusiveToAnotherAddressFails() =>
        CpuTestHarness.RunBothTiers(
            [0xc85f7c04, 0xc8057c27], // ldxr x4, [x0]; stxr w5, x7, [x1]
            h =>
            {
                h[0] = D;
                h[1] = D + 0x40;
                h[7] = 0x1111;
                h.Memory.Write(D, 0x42UL);
            },
            h =>
            {
                Assert.Equal(0x42UL, h[4]);
                Assert.Equal(1UL, h[5]);
                Assert.Equal(0UL, h.Memory.Read<ulong>(D + 0x40));
            });

    [Fact]
    public void ClrexMakesTheNextStoreExclusiveFail() =>
        CpuTestHarness.RunBothTiers(
            [0xc85f7c04, 0xd5033f5f, 0xc8057c07], // ldxr x4, [x0]; clrex; stxr w5, x7, [x0]
            h =>
            {
                h[0] = D;
                h[7] = 0x1111;
                h.Memory.Write(D, 0x42UL);
            },
            h =>
            {
                Assert.Equal(1UL, h[5]);
                Assert.Equal(0x42UL, h.Memory.Read<ulong>(D));
            });

    [Fact]
    public void PushAndPopAPairThroughSp()
    {
        ulong sp0 = 0;
        CpuTestHarness.RunBothTiers(
            [0xa9bf17e4, 0xa8c11fe6], // stp x4, x5, [sp, #-16]!; ldp x6, x7, [sp], #16
            h =>
            {
                sp0 = h.Sp;
                h[4] = 0x0123456789abcdef;
                h[5] = 0xfedcba9876543210;
            },
            h =>
            {
                Assert.Equal(sp0, h.Sp);
                Assert.Equal(0x0123456789abcdefUL, h[6]);
                Assert.Equal(0xfedcba9876543210UL, h[7]);
                Assert.Equal(0x0123456789abcdefUL, h.Memory.Read<ulong>(sp0 - 16));
                Assert.Equal(0xfedcba9876543210UL, h.Memory.Read<ulong>(sp0 - 8));
            });
    }

    [Fact]
    public void LiteralLoadsReadPcRelativeData() =>
        CpuTestHarness.RunBothTiers(
            [
                0x58000044, 0x14000003, 0x55667788, 0x11223344, // ldr x4, .+8; b .+12; .quad 0x1122334455667788
                0x9c000044, 0x14000005, 0x55667788, 0x11223344, 0xddeeff00, 0x99aabbcc, // ldr q4, .+8; b .+20; 16 bytes
                0x98000045, 0x14000002, 0x80000001, // ldrsw x5, .+8; b .+8; .word 0x80000001
            ],
            h => h.SetV(4, ~0UL, ~0UL),
            h =>
            {
                Assert.Equal(0x1122334455667788UL, h[4]);
                Assert.Equal(0x1122334455667788UL, h.VLow(4));
                Assert.Equal(0x99aabbccddeeff00UL, h.VHigh(4));
                Assert.Equal(0xffffffff80000001UL, h[5]);
            });

    [Fact]
    public void VectorStorePostIndexedThroughSp()
    {
        ulong sp0 = 0;
        CpuTestHarness.RunBothTiers(
            [0x4c9fa3e0, 0xb85e43e4], // st1 {v0.16b, v1.16b}, [sp], #32; ldur w4, [sp, #-28]
            h =>
            {
                sp0 = h.Sp;
                h.SetV(0, 0x0706050403020100, 0x0f0e0d0c0b0a0908);
                h.SetV(1, 0x1716151413121110, 0x1f1e1d1c1b1a1918);
            },
            h =>
            {
                Assert.Equal(sp0 + 32, h.Sp);
                Assert.Equal(0x07060504UL, h[4]); // bytes 4..7 of the 32 stored
                Assert.Equal(0x1f1e1d1c1b1a1918UL, h.Memory.Read<ulong>(sp0 + 24));
            });
    }
}
