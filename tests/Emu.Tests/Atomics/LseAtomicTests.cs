using System.Runtime.InteropServices;
using Emu.Cpu;
using Emu.Frontend.Translation;
using Emu.Tests.Support;

namespace Emu.Tests.Atomics;

/// <summary>LSE atomics through both tiers (hand-computed answers), and the helpers' atomicity across host threads.</summary>
public unsafe class LseAtomicTests
{
    private const ulong Data = CpuTestHarness.DataBase;

    public static TheoryData<string, uint, ulong, ulong, ulong, ulong> ReadModifyWriteCases() => new()
    {
        // name, word (Rs = x1, Rt = x2, Rn = x3), memory before, x1, expected x2 (old value), memory after (8 bytes)
        { "ldaddal x", 0xf8e10062, 0xFFFFFFFFFFFFFFFF, 2, 0xFFFFFFFFFFFFFFFF, 1 },
        { "ldclrb", 0x38211062, 0x11223344556677F0, 0x130, 0xF0, 0x11223344556677C0 },
        { "ldeorlh", 0x78612062, 0x1122334455661234, 0xFFFF, 0x1234, 0x112233445566EDCB },
        { "ldseta w", 0xb8a13062, 0x1122334480000001, 0x100, 0x80000001, 0x1122334480000101 },
        { "ldsmax x", 0xf8214062, 0xFFFFFFFFFFFFFFFE, 1, 0xFFFFFFFFFFFFFFFE, 1 },
        { "ldsmaxb", 0x38214062, 0x1122334455667780, 0x7F, 0x80, 0x112233445566777F },
        { "ldsminh", 0x78215062, 0x1122334455667FFF, 0x8000, 0x7FFF, 0x1122334455668000 },
        { "ldsmin w", 0xb8215062, 0x1122334400000005, 0xFFFFFFFF, 5, 0x11223344FFFFFFFF },
        { "ldumax w", 0xb8216062, 0x1122334480000000, 0x7FFFFFFF, 0x80000000, 0x1122334480000000 },
        { "ldumaxb", 0x38216062, 0x1122334455667710, 0x1FF, 0x10, 0x11223344556677FF },
        { "lduminal x", 0xf8e17062, 5, 3, 5, 3 },
        { "swpb", 0x38218062, 0x11223344556677AB, 0xCD, 0xAB, 0x11223344556677CD },
        { "swpal x", 0xf8e18062, 0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x0123456789ABCDEF, 0xFEDCBA9876543210 },
    };

    [Theory]
    [MemberData(nameof(ReadModifyWriteCases))]
    public void ReadModifyWrite(string name, uint word, ulong before, ulong operand, ulong old, ulong after)
    {
        _ = name;
        CpuTestHarness.RunBothTiers([word], h =>
        {
            h.Memory.Write(Data, before);
            h[1] = operand;
            h[2] = 0x5555;
            h[3] = Data;
        }, h =>
        {
            Assert.Equal(old, h[2]);
            Assert.Equal(after, h.Memory.Read<ulong>(Data));
        });
    }

    [Fact]
    public void StoreAliasDiscardsTheOldValue()
    {
        CpuTestHarness.RunBothTiers([0xf861007f], h => // staddl x1, [x3]
        {
            h.Memory.Write(Data, 10UL);
            h[1] = 7;
            h[3] = Data;
        }, h =>
        {
            Assert.Equal(17UL, h.Memory.Read<ulong>(Data));
            Assert.Equal(CpuTestHarness.DataBase + CpuTestHarness.DataSize - 256, h.Sp); // Rt = 31 is XZR, not SP
        });
    }

    [Fact]
    public void BaseRegister31IsSp()
    {
        CpuTestHarness.RunBothTiers([0xb82103e2], h => // ldadd w1, w2, [sp]
        {
            h.Sp = Data + 0x40;
            h.Memory.Write(Data + 0x40, 0xAAAAAAAA_00000010UL);
            h[1] = 0x100000001; // W form: only the low 32 bits count
        }, h =>
        {
            Assert.Equal(0x10UL, h[2]);
            Assert.Equal(0xAAAAAAAA_00000011UL, h.Memory.Read<ulong>(Data + 0x40));
        });
    }

    [Theory]
    [InlineData(42UL, 42UL, 99UL)]
    [InlineData(41UL, 42UL, 42UL)]
    public void CasalSwapsOnlyWhenEqual(ulong expected, ulong oldValue, ulong after)
    {
        CpuTestHarness.RunBothTiers([0xc8e1fc62], h => // casal x1, x2, [x3]
        {
            h.Memory.Write(Data, 42UL);
            h[1] = expected;
            h[2] = 99;
            h[3] = Data;
        }, h =>
        {
            Assert.Equal(oldValue, h[1]);
            Assert.Equal(after, h.Memory.Read<ulong>(Data));
        });
    }

    /// <summary>A 32-bit CAS compares Ws and writes Ws: the old value is zero-extended into Xs whether or not
    /// the swap happens (qemu-aarch64 agrees).</summary>
    [Theory]
    [InlineData(0x1122334455667788UL, 0x55667788UL, 0xDDEEFF00UL)] // equal in the low 32 bits: swaps
    [InlineData(0x11223344AAAAAAAAUL, 0x55667788UL, 0x55667788UL)] // different: no swap
    public void CaslWordZeroExtendsTheOldValue(ulong x1, ulong memory, ulong after)
    {
        CpuTestHarness.RunBothTiers([0x88a1fc62], h => // casl w1, w2, [x3]
        {
            h.Memory.Write(Data, 0x9999999900000000UL | memory);
            h[1] = x1;
            h[2] = 0x77777777DDEEFF00UL;
            h[3] = Data;
        }, h =>
        {
            Assert.Equal(0x55667788UL, h[1]);
            Assert.Equal(0x9999999900000000UL | after, h.Memory.Read<ulong>(Data));
        });
    }

    [Fact]
    public void CasbComparesTheLowByteOnly()
    {
        CpuTestHarness.RunBothTiers([0x08a17c62], h => // casb w1, w2, [x3]
        {
            h.Memory.Write(Data, 0x11223344556611ABUL);
            h[1] = 0x123456AB;
            h[2] = 0x1CD;
            h[3] = Data;
        }, h =>
        {
            Assert.Equal(0xABUL, h[1]);
            Assert.Equal(0x11223344556611CDUL, h.Memory.Read<ulong>(Data));
        });
    }

    [Theory]
    [InlineData(2UL, true)]
    [InlineData(3UL, false)]
    public void CaspalPairOf64(ulong expectedHigh, bool swaps)
    {
        CpuTestHarness.RunBothTiers([0x4864fc66], h => // caspal x4, x5, x6, x7, [x3]
        {
            h.Memory.Write(Data, 1UL);
            h.Memory.Write(Data + 8, 2UL);
            h[3] = Data;
            h[4] = 1;
            h[5] = expectedHigh;
            h[6] = 0xA;
            h[7] = 0xB;
        }, h =>
        {
            Assert.Equal(1UL, h[4]);
            Assert.Equal(2UL, h[5]);
            Assert.Equal(swaps ? 0xAUL : 1UL, h.Memory.Read<ulong>(Data));
            Assert.Equal(swaps ? 0xBUL : 2UL, h.Memory.Read<ulong>(Data + 8));
        });
    }

    [Fact]
    public void CaspPairOf32()
    {
        CpuTestHarness.RunBothTiers([0x08247c66], h => // casp w4, w5, w6, w7, [x3]
        {
            h.Memory.Write(Data, 0x00000002_00000001UL);
            h[3] = Data;
            h[4] = 1;
            h[5] = 2;
            h[6] = 0xA;
            h[7] = 0xB;
        }, h =>
        {
            Assert.Equal(1UL, h[4]);
            Assert.Equal(2UL, h[5]);
            Assert.Equal(0x0000000B_0000000AUL, h.Memory.Read<ulong>(Data));
        });
    }

    [Fact]
    public void CaspWithOddRegisterIsUndefined()
    {
        // casp x5, x6, x6, x7, [x3] (Rs odd): the assembler refuses it, so the word is built by hand.
        CpuTestHarness.RunBothTiers([0x4864fc66 & ~(31u << 16) | (5u << 16)], h => h[3] = Data,
            h => Assert.Equal(ExitReason.Undefined, h.StopReason));
    }

    /// <summary>Host threads hammer neighbouring counters of every size through the helpers; no update may be lost.</summary>
    [Fact]
    public void HelpersAreAtomicAcrossHostThreads()
    {
        const int threads = 4, iterations = 50_000;
        byte* memory = (byte*)NativeMemory.AlignedAlloc(64, 64);
        CpuContext* ctx = CpuContext.Allocate();
        try
        {
            new Span<byte>(memory, 64).Clear();
            ctx->MemBase = (ulong)memory;
            ctx->MemMask = ulong.MaxValue;
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                for (int i = 0; i < iterations; i++)
                {
                    AtomicHelpers.ReadModifyWrite(ctx, 0, 3, (ulong)AtomicHelpers.RmwOp.Add, 8);
                    AtomicHelpers.ReadModifyWrite(ctx, 8, 1, (ulong)AtomicHelpers.RmwOp.Add, 4);
                    AtomicHelpers.ReadModifyWrite(ctx, 12, 1, (ulong)AtomicHelpers.RmwOp.Add, 1); // bytes 12, 13 and
                    AtomicHelpers.ReadModifyWrite(ctx, 13, 1, (ulong)AtomicHelpers.RmwOp.Add, 1); // halfword 14 share
                    AtomicHelpers.ReadModifyWrite(ctx, 14, 1, (ulong)AtomicHelpers.RmwOp.Add, 2); // one 32-bit word
                    ulong seen = *(ulong*)(memory + 16);
                    while (true)
                    {
                        ulong old = AtomicHelpers.CompareAndSwap(ctx, 16, seen, seen + 1, 8);
                        if (old == seen) break;
                        seen = old;
                    }
                    AtomicHelpers.ReadModifyWrite(ctx, 24, 1UL << (i & 63), (ulong)AtomicHelpers.RmwOp.Eor, 8);
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            const ulong total = (ulong)threads * iterations;
            Assert.Equal(3 * total, *(ulong*)memory);
            Assert.Equal((uint)total, *(uint*)(memory + 8));
            Assert.Equal(unchecked((byte)total), memory[12]);
            Assert.Equal(unchecked((byte)total), memory[13]);
            Assert.Equal(unchecked((ushort)total), *(ushort*)(memory + 14));
            Assert.Equal(total, *(ulong*)(memory + 16));
            Assert.Equal(0UL, *(ulong*)(memory + 24)); // each bit flipped an even number of times
        }
        finally
        {
            CpuContext.Free(ctx);
            NativeMemory.AlignedFree(memory);
        }
    }
}
